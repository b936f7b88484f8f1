import { isCatalogueKey, render } from '../../api/core/messages/index.ts';
import { stateLabel } from '../../api/core/messages/labels.ts';
import { listLots } from '../../api/lots/list-lots.ts';
import { traceLot } from '../../api/lots/trace-lot.ts';
import { expiringStock } from '../../api/lots/expiring-stock.ts';
import {
  holdersText,
  lotStatusSentence,
  lotStatusWord,
  placesText,
  spokenHolders,
  writtenHolders,
} from './lot-words.ts';
import { say, type Reply } from './reply.ts';
import { quantityText } from './texts.ts';
import { catalogueLocation, itemName, locationName, type Turn } from './turn.ts';
import type { Language } from '../nlu/types.ts';

/** A movement's kind in words ("Carico", "Receipt"); a kind the catalogue does not know is shown as it is. */
const movementWord = (kind: string, l: Language) => {
  const key = `movement_${kind}`;
  return isCatalogueKey(key) ? render(key, l) : kind;
};

/**
 * A lot's trace: its status first (recalled, quarantined, expired, with the reason), then every holder that
 * still has stock (the first ones by name, then how many more), what was consumed, and the timeline of its
 * movements. Aloud: the status and the count of holders, with the first three.
 */
export async function answerTrace(t: Turn): Promise<Reply> {
  const l = t.language;
  const resolved = await resolveLot(t);
  if ('reply' in resolved) return resolved.reply;
  const code = resolved.lot.lotCode;
  const trace = await traceLot({ ctx: t.ctx, input: { lotId: resolved.lot.id, limit: 50 } });
  const unit = trace.lot.item.unit;
  const name = itemName(t, trace.lot.item);
  const facts = {
    ...trace.lot,
    reason: trace.recall?.reason ?? trace.lot.statusReason,
    reference: trace.recall?.reference ?? null,
  };
  const holders = trace.holders
    .filter((h) => h.onHand > 0)
    .sort((a, b) => b.onHand - a.onHand || a.location.name.localeCompare(b.location.name))
    .map((h) => ({ name: h.location.name, onHand: h.onHand }));
  const onHand = quantityText(trace.totals.onHand, unit, l);
  const consumed = quantityText(trace.totals.consumed, unit, l);
  const where = (max: number) =>
    holders.length === 0
      ? render('trace_nothing_left', l, { consumed })
      : render('trace_on_hand', l, {
          onHand,
          places: placesText(holders.length, l),
          holders: holdersText(holders, unit, l, max),
          consumed,
        });
  const speech = `${lotStatusSentence(facts, name, l, true)} ${where(spokenHolders)}`;
  // The read rule (`detailScope`): other wards' movements are not in the timeline, only their totals above.
  const others = trace.holders.filter((h) => h.detail === 'totals').length;
  const note = others ? ` ${render('trace_others_hidden', l, { count: others })}` : '';
  const timeline = trace.timeline.map((m) => ({
    when: m.occurredAt.slice(0, 16).replace('T', ' '),
    text:
      `${movementWord(m.kind, l)} ${quantityText(m.quantity, unit, l)}: ` +
      `${m.from?.code ?? '—'} → ${m.to?.code ?? '—'}${m.documentId ? ` (${m.documentId})` : ''}`,
  }));
  const text = `${lotStatusSentence(facts, name, l)} ${where(writtenHolders)}${note}`;
  const status = trace.lot.status === 'available' ? '' : ` · ${lotStatusWord(trace.lot.status, l)}`;
  return {
    kind: 'answer',
    language: l,
    title: render('trace_title', l, { lotCode: code, name, expiry: trace.lot.expiry ?? '—', flag: status }),
    text,
    speech,
    timeline,
  };
}

/**
 * Stock expiring within the horizon (30 days unless said), or expired, at a location or wherever the user may read: the
 * core's one "what expires" read.
 */
export async function answerExpiring(t: Turn): Promise<Reply> {
  const l = t.language;
  const days = t.parsed.slots.horizonDays ?? 30;
  const location = t.parsed.slots.location ? catalogueLocation(t, t.parsed.slots.location.id) : undefined;
  const { data: rows } = await expiringStock({
    ctx: t.ctx,
    input: {
      withinDays: days,
      ...(location ? { locationId: location.id } : {}),
      ...(t.parsed.slots.item ? { itemId: t.parsed.slots.item.id } : {}),
    },
  });
  const scope = location ? ` ${render('at_location', l, { location: locationName(t, location) })}` : '';
  if (rows.length === 0) return say('answer', l, render('expiring_none', l, { days, scope }));
  const name = (r: (typeof rows)[number]) => (l === 'it' ? r.item.name : r.item.nameEn || r.item.name);
  const first = rows[0]!;
  const lots = new Set(rows.map((r) => r.lot.id)).size;
  // A lot that is already expired (by the hospital's date), recalled or quarantined says so: its stock is not usable,
  // whatever its date.
  const statusOf = (r: (typeof rows)[number]) =>
    r.lot.status === 'available' ? '' : ` (${lotStatusWord(r.lot.status, l)})`;
  const unusable = new Set(rows.filter((r) => r.lot.status !== 'available').map((r) => r.lot.id)).size;
  const warning = !unusable ? '' : ` ${render('expiring_unusable', l, { count: unusable })}`;
  const speech =
    render('expiring', l, {
      count: lots,
      days,
      scope,
      item: name(first),
      lotCode: first.lot.lotCode,
      flag: statusOf(first),
      quantity: quantityText(first.quantity, first.item.unit, l),
      expiry: String(first.lot.expiry),
    }) + warning;
  const table = {
    columns: [
      render('column_expiry', l),
      render('column_item', l),
      render('column_lot', l),
      render('column_status', l),
      render('column_location', l),
      render('column_quantity', l),
    ],
    rows: rows.map((r) => [
      r.lot.expiry!,
      name(r),
      r.lot.lotCode,
      stateLabel('lot', r.lot.status, l),
      r.location.code,
      quantityText(r.quantity, r.item.unit, l),
    ]),
  };
  return {
    kind: 'answer',
    language: l,
    title: render('expiring_title', l, { days, scope }),
    text: speech,
    speech,
    table,
  };
}

/**
 * The one lot an utterance names (its code, or a scanned GS1 string; narrowed by the item when given), or the
 * reply to send instead: a question when no code or several items share it, an answer when none is found.
 */
export async function resolveLot(
  t: Turn,
): Promise<{ lot: Awaited<ReturnType<typeof listLots>>['data'][number] } | { reply: Reply }> {
  const l = t.language;
  const code = t.parsed.slots.lotCode ?? t.parsed.slots.gs1?.lot;
  if (!code)
    return {
      reply: say('question', l, render('lot_which', l), {
        question: { followUp: t.text, options: [] },
      }),
    };
  const found = (await listLots({ ctx: t.ctx, input: { lotCode: code, limit: 10 } })).data.filter(
    (x) => !t.parsed.slots.item || x.itemId === t.parsed.slots.item.id,
  );
  if (found.length === 0) return { reply: say('answer', l, render('lot_not_found', l, { lotCode: code })) };
  if (found.length > 1) {
    const options = found.map((x) => ({
      label: `${x.item.code} · ${itemName(t, x.item)}`,
      text: `${t.text} ${x.item.code}`,
    }));
    return {
      reply: say('question', l, render('lot_several_items', l, { lotCode: code }), {
        question: { followUp: t.text, options },
      }),
    };
  }
  return { lot: found[0]! };
}
