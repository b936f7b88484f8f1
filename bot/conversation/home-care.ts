import { homeCareOverview } from '../../api/homecare/home-care-overview.ts';
import { say, type Reply } from './reply.ts';
import { render } from '../../api/core/messages/index.ts';
import { quantityText } from './texts.ts';
import { catalogueItem, itemName, type Turn } from './turn.ts';

type Overview = Awaited<ReturnType<typeof homeCareOverview>>;
type OverviewItem = Overview['patients'][number]['items'][number];

/** An overview item's name in the reply language (the overview carries the Italian name only). */
export const overviewItemName = (t: Turn, i: OverviewItem) => {
  const item = catalogueItem(t, i.itemId);
  return item ? itemName(t, item) : i.itemName;
};

/**
 * "chi resta senza strisce entro 10 giorni?", "which patients run out within 5 days?": the user's home-care
 * patients with an item (the one named, or any) whose cover ends within the horizon, soonest first.
 */
export async function answerRunningOut(t: Turn, days: number): Promise<Reply> {
  const l = t.language;
  const itemId = t.parsed.slots.item?.id;
  const overview = await homeCareOverview({ ctx: t.ctx, input: {} });
  const rows = overview.patients
    .flatMap((p) =>
      p.items
        .filter((i) => (!itemId || i.itemId === itemId) && i.daysOfCover !== null && i.daysOfCover <= days)
        .map((i) => ({ patient: p.patientCode, i })),
    )
    .sort((a, b) => a.i.daysOfCover! - b.i.daysOfCover! || a.patient.localeCompare(b.patient));
  const what = t.parsed.slots.item ? itemName(t, t.parsed.slots.item) : render('supplies', l);
  if (rows.length === 0) return say('answer', l, render('running_out_none', l, { what, days }));
  const patients = [...new Set(rows.map((r) => r.patient))];
  const first = rows[0]!;
  const speech = render('running_out', l, {
    count: patients.length,
    what,
    days,
    patients: patients.join(', '),
    patient: first.patient,
    item: overviewItemName(t, first.i),
    cover: Math.floor(first.i.daysOfCover!),
  });
  const table = {
    columns: [
      render('column_patient', l),
      render('column_item', l),
      render('column_available', l),
      render('column_days', l),
      render('column_order_by', l),
    ],
    rows: rows.map((r) => [
      r.patient,
      overviewItemName(t, r.i),
      quantityText(r.i.available, r.i.unit, l),
      String(Math.floor(r.i.daysOfCover!)),
      r.i.orderBy ?? '—',
    ]),
  };
  return {
    kind: 'answer',
    language: l,
    title: render('running_out_title', l, { what, days }),
    text: speech,
    speech,
    table,
  };
}

/**
 * Whether a patient's supplies (or the item asked about) last the horizon asked: one sentence, or '' with no horizon.
 */
export function horizonSentence(t: Turn, items: OverviewItem[]): string {
  const days = t.parsed.slots.horizonDays;
  if (days === undefined) return '';
  const l = t.language;
  const short = items.filter(
    (i) =>
      (!t.parsed.slots.item || i.itemId === t.parsed.slots.item.id) && i.daysOfCover !== null && i.daysOfCover <= days,
  );
  if (short.length === 0) return ` ${render('horizon_enough', l, { days })}`;
  const names = short.map((i) => `${overviewItemName(t, i)} (${Math.floor(i.daysOfCover!)})`).join(', ');
  return ` ${render('horizon_short', l, { days, names })}`;
}
