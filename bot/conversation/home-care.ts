import { homeCareOverview } from '../../api/homecare/home-care-overview.ts';
import { say, type Reply } from './reply.ts';
import { quantityText, tr } from './texts.ts';
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
  const what = t.parsed.slots.item ? itemName(t, t.parsed.slots.item) : tr(l, 'scorte', 'supplies');
  if (rows.length === 0)
    return say(
      'answer',
      l,
      tr(
        l,
        `Nessun paziente resta senza ${what} entro ${days} giorni.`,
        `No patient runs out of ${what} within ${days} days.`,
      ),
    );
  const patients = [...new Set(rows.map((r) => r.patient))];
  const first = rows[0]!;
  const speech = tr(
    l,
    `${patients.length === 1 ? 'Un paziente resta' : `${patients.length} pazienti restano`} senza ${what} entro ${days} giorni: ${patients.join(', ')}. Il primo: ${first.patient}, ${overviewItemName(t, first.i)} tra ${Math.floor(first.i.daysOfCover!)} giorni.`,
    `${patients.length === 1 ? 'One patient runs' : `${patients.length} patients run`} out of ${what} within ${days} days: ${patients.join(', ')}. First: ${first.patient}, ${overviewItemName(t, first.i)} in ${Math.floor(first.i.daysOfCover!)} days.`,
  );
  const table = {
    columns: [
      tr(l, 'Paziente', 'Patient'),
      tr(l, 'Articolo', 'Item'),
      tr(l, 'Disponibile', 'Available'),
      tr(l, 'Giorni', 'Days'),
      tr(l, 'Ordinare entro', 'Order by'),
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
    title: tr(l, `Pazienti senza ${what} entro ${days} giorni`, `Patients running out of ${what} within ${days} days`),
    text: speech,
    speech,
    table,
  };
}

/** Whether a patient's supplies (or the item asked about) last the horizon asked: one sentence, or '' with no horizon. */
export function horizonSentence(t: Turn, items: OverviewItem[]): string {
  const days = t.parsed.slots.horizonDays;
  if (days === undefined) return '';
  const l = t.language;
  const short = items.filter(
    (i) =>
      (!t.parsed.slots.item || i.itemId === t.parsed.slots.item.id) && i.daysOfCover !== null && i.daysOfCover <= days,
  );
  if (short.length === 0)
    return ` ${tr(l, `Bastano per i prossimi ${days} giorni.`, `They last the next ${days} days.`)}`;
  const names = short.map((i) => `${overviewItemName(t, i)} (${Math.floor(i.daysOfCover!)})`).join(', ');
  return ` ${tr(l, `Non bastano per ${days} giorni: ${names}.`, `They do not last ${days} days: ${names}.`)}`;
}
