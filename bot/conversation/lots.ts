import { listLots } from '../../api/lots/list-lots.ts';
import { traceLot } from '../../api/lots/trace-lot.ts';
import { expiringStock } from '../../api/lots/expiring-stock.ts';
import { say, type Reply } from './reply.ts';
import { quantityText, tr } from './texts.ts';
import { catalogueLocation, itemName, locationName, type Turn } from './turn.ts';

const movementWords: Record<string, [string, string]> = {
  receipt: ['Carico', 'Receipt'], issue: ['Scarico', 'Issue'], transfer: ['Trasferimento', 'Transfer'], consumption: ['Consumo', 'Consumption'],
  adjustment: ['Rettifica', 'Adjustment'], sale: ['Vendita', 'Sale'], return: ['Reso', 'Return'], reversal: ['Storno', 'Reversal'],
};

/** A lot's trace: a timeline of its movements and where it still is (what a recall must collect). */
export async function answerTrace(t: Turn): Promise<Reply> {
  const l = t.language;
  const resolved = await resolveLot(t);
  if ('reply' in resolved) return resolved.reply;
  const code = resolved.lot.lotCode;
  const trace = await traceLot({ ctx: t.ctx, input: { lotId: resolved.lot.id, limit: 50 } });
  const unit = trace.lot.item.unit;
  const name = itemName(t, trace.lot.item);
  const holders = trace.holders.filter((h) => h.onHand > 0);
  const where = holders.slice(0, 3).map((h) => `${h.location.name} ${quantityText(h.onHand, unit, l)}`).join(', ');
  const speech = tr(
    l,
    `Lotto ${code} di ${name}: ${quantityText(trace.totals.onHand, unit, l)} ancora presenti${where ? ` (${where})` : ''}, ${quantityText(trace.totals.consumed, unit, l)} consumati.`,
    `Lot ${code} of ${name}: ${quantityText(trace.totals.onHand, unit, l)} still on hand${where ? ` (${where})` : ''}, ${quantityText(trace.totals.consumed, unit, l)} consumed.`,
  );
  // The read rule (`detailScope`): other wards' movements are not in the timeline, only their totals above.
  const others = trace.holders.filter((h) => h.detail === 'totals').length;
  const note = others ? ' ' + tr(l, `Movimenti di ${others === 1 ? 'un altro luogo' : `altri ${others} luoghi`} non mostrati: solo i totali.`, `Movements at ${others === 1 ? 'one other location' : `${others} other locations`} not shown: totals only.`) : '';
  const timeline = trace.timeline.map((m) => ({
    when: m.occurredAt.slice(0, 16).replace('T', ' '),
    text: `${movementWords[m.kind]?.[l === 'it' ? 0 : 1] ?? m.kind} ${quantityText(m.quantity, unit, l)}: ${m.from?.code ?? '—'} → ${m.to?.code ?? '—'}${m.documentId ? ` (${m.documentId})` : ''}`,
  }));
  return { kind: 'answer', language: l, title: tr(l, `Tracciabilità lotto ${code} · ${name} · scadenza ${trace.lot.expiry ?? '—'}`, `Trace of lot ${code} · ${name} · expiry ${trace.lot.expiry ?? '—'}`), text: speech + note, speech, timeline };
}

/** Stock expiring within the horizon (30 days unless said), or expired, at a location or wherever the user may read: the core's one "what expires" read. */
export async function answerExpiring(t: Turn): Promise<Reply> {
  const l = t.language;
  const days = t.parsed.slots.horizonDays ?? 30;
  const location = t.parsed.slots.location ? catalogueLocation(t, t.parsed.slots.location.id) : undefined;
  const { data: rows } = await expiringStock({ ctx: t.ctx, input: { withinDays: days, ...(location ? { locationId: location.id } : {}), ...(t.parsed.slots.item ? { itemId: t.parsed.slots.item.id } : {}) } });
  const scope = location ? tr(l, ` in ${locationName(t, location)}`, ` at ${locationName(t, location)}`) : '';
  if (rows.length === 0) return say('answer', l, tr(l, `Niente scade entro ${days} giorni${scope}.`, `Nothing expires within ${days} days${scope}.`));
  const name = (r: (typeof rows)[number]) => (l === 'it' ? r.item.name : r.item.nameEn || r.item.name);
  const first = rows[0]!;
  const lots = new Set(rows.map((r) => r.lot.id)).size;
  const expired = new Set(rows.filter((r) => r.daysLeft < 0).map((r) => r.lot.id)).size;
  const already = expired ? tr(l, ` (${expired} già scadut${expired === 1 ? 'o' : 'i'}: da togliere dagli scaffali)`, ` (${expired} already expired: take ${expired === 1 ? 'it' : 'them'} off the shelves)`) : '';
  const speech = tr(
    l,
    `${lots === 1 ? 'Un lotto scade' : `${lots} lotti scadono`} entro ${days} giorni${scope}${already}. Il primo: ${name(first)}, lotto ${first.lot.lotCode}, ${quantityText(first.quantity, first.item.unit, l)}, il ${first.lot.expiry}.`,
    `${lots === 1 ? 'One lot expires' : `${lots} lots expire`} within ${days} days${scope}${already}. First: ${name(first)}, lot ${first.lot.lotCode}, ${quantityText(first.quantity, first.item.unit, l)}, on ${first.lot.expiry}.`,
  );
  const table = {
    columns: [tr(l, 'Scadenza', 'Expiry'), tr(l, 'Articolo', 'Item'), tr(l, 'Lotto', 'Lot'), tr(l, 'Luogo', 'Location'), tr(l, 'Quantità', 'Quantity')],
    rows: rows.map((r) => [r.lot.expiry!, name(r), r.lot.lotCode, r.location.code, quantityText(r.quantity, r.item.unit, l)]),
  };
  return { kind: 'answer', language: l, title: tr(l, `In scadenza entro ${days} giorni${scope}`, `Expiring within ${days} days${scope}`), text: speech, speech, table };
}

/**
 * The one lot an utterance names (its code, or a scanned GS1 string; narrowed by the item when given), or the
 * reply to send instead: a question when no code or several items share it, an answer when none is found.
 */
export async function resolveLot(t: Turn): Promise<{ lot: Awaited<ReturnType<typeof listLots>>['data'][number] } | { reply: Reply }> {
  const l = t.language;
  const code = t.parsed.slots.lotCode ?? t.parsed.slots.gs1?.lot;
  if (!code) return { reply: say('question', l, tr(l, 'Quale lotto? Dimmi il codice.', 'Which lot? Tell me its code.'), { question: { followUp: t.text, options: [] } }) };
  const found = (await listLots({ ctx: t.ctx, input: { lotCode: code, limit: 10 } })).data.filter((x) => !t.parsed.slots.item || x.itemId === t.parsed.slots.item.id);
  if (found.length === 0) return { reply: say('answer', l, tr(l, `Non trovo il lotto ${code}.`, `I cannot find lot ${code}.`)) };
  if (found.length > 1) {
    const options = found.map((x) => ({ label: `${x.item.code} · ${itemName(t, x.item)}`, text: `${t.text} ${x.item.code}` }));
    return { reply: say('question', l, tr(l, `Il lotto ${code} esiste per più articoli: quale?`, `Lot ${code} exists for several items: which one?`), { question: { followUp: t.text, options } }) };
  }
  return { lot: found[0]! };
}
