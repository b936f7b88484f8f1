import { stateLabel } from '../../api/core/labels.ts';
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
import { quantityText, tr } from './texts.ts';
import { catalogueLocation, itemName, locationName, type Turn } from './turn.ts';

const movementWords: Record<string, [string, string]> = {
  receipt: ['Carico', 'Receipt'],
  issue: ['Scarico', 'Issue'],
  transfer: ['Trasferimento', 'Transfer'],
  consumption: ['Consumo', 'Consumption'],
  adjustment: ['Rettifica', 'Adjustment'],
  sale: ['Vendita', 'Sale'],
  return: ['Reso', 'Return'],
  reversal: ['Storno', 'Reversal'],
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
      ? tr(l, `Nessuna giacenza ancora presente, ${consumed} consumati.`, `Nothing left on hand, ${consumed} consumed.`)
      : tr(
          l,
          `${onHand} ancora presenti ${placesText(holders.length, l)}: ${holdersText(holders, unit, l, max)}; ${consumed} consumati.`,
          `${onHand} still on hand ${placesText(holders.length, l)}: ${holdersText(holders, unit, l, max)}; ${consumed} consumed.`,
        );
  const speech = `${lotStatusSentence(facts, name, l, true)} ${where(spokenHolders)}`;
  // The read rule (`detailScope`): other wards' movements are not in the timeline, only their totals above.
  const others = trace.holders.filter((h) => h.detail === 'totals').length;
  const note = others
    ? ' ' +
      tr(
        l,
        `Movimenti di ${others === 1 ? 'un altro luogo' : `altri ${others} luoghi`} non mostrati: solo i totali.`,
        `Movements at ${others === 1 ? 'one other location' : `${others} other locations`} not shown: totals only.`,
      )
    : '';
  const timeline = trace.timeline.map((m) => ({
    when: m.occurredAt.slice(0, 16).replace('T', ' '),
    text: `${movementWords[m.kind]?.[l === 'it' ? 0 : 1] ?? m.kind} ${quantityText(m.quantity, unit, l)}: ${m.from?.code ?? '—'} → ${m.to?.code ?? '—'}${m.documentId ? ` (${m.documentId})` : ''}`,
  }));
  const text = `${lotStatusSentence(facts, name, l)} ${where(writtenHolders)}${note}`;
  const status = trace.lot.status === 'available' ? '' : ` · ${lotStatusWord(trace.lot.status, l)}`;
  return {
    kind: 'answer',
    language: l,
    title: tr(
      l,
      `Tracciabilità lotto ${code} · ${name} · scadenza ${trace.lot.expiry ?? '—'}${status}`,
      `Trace of lot ${code} · ${name} · expiry ${trace.lot.expiry ?? '—'}${status}`,
    ),
    text,
    speech,
    timeline,
  };
}

/** Stock expiring within the horizon (30 days unless said), or expired, at a location or wherever the user may read: the core's one "what expires" read. */
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
  const scope = location ? tr(l, ` in ${locationName(t, location)}`, ` at ${locationName(t, location)}`) : '';
  if (rows.length === 0)
    return say(
      'answer',
      l,
      tr(l, `Niente scade entro ${days} giorni${scope}.`, `Nothing expires within ${days} days${scope}.`),
    );
  const name = (r: (typeof rows)[number]) => (l === 'it' ? r.item.name : r.item.nameEn || r.item.name);
  const first = rows[0]!;
  const lots = new Set(rows.map((r) => r.lot.id)).size;
  // A lot that is already expired (by the hospital's date), recalled or quarantined says so: its stock is not usable, whatever its date.
  const statusOf = (r: (typeof rows)[number]) =>
    r.lot.status === 'available' ? '' : ` (${lotStatusWord(r.lot.status, l)})`;
  const unusable = new Set(rows.filter((r) => r.lot.status !== 'available').map((r) => r.lot.id)).size;
  const warning = !unusable
    ? ''
    : ' ' +
      tr(
        l,
        unusable === 1
          ? 'Un lotto non è più utilizzabile: scaduto, richiamato o in quarantena.'
          : `${unusable} lotti non sono più utilizzabili: scaduti, richiamati o in quarantena.`,
        unusable === 1
          ? 'One lot is no longer usable: expired, recalled or quarantined.'
          : `${unusable} lots are no longer usable: expired, recalled or quarantined.`,
      );
  const speech =
    tr(
      l,
      `${lots === 1 ? 'Un lotto scade' : `${lots} lotti scadono`} entro ${days} giorni${scope}. Il primo: ${name(first)}, lotto ${first.lot.lotCode}${statusOf(first)}, ${quantityText(first.quantity, first.item.unit, l)}, il ${first.lot.expiry}.`,
      `${lots === 1 ? 'One lot expires' : `${lots} lots expire`} within ${days} days${scope}. First: ${name(first)}, lot ${first.lot.lotCode}${statusOf(first)}, ${quantityText(first.quantity, first.item.unit, l)}, on ${first.lot.expiry}.`,
    ) + warning;
  const table = {
    columns: [
      tr(l, 'Scadenza', 'Expiry'),
      tr(l, 'Articolo', 'Item'),
      tr(l, 'Lotto', 'Lot'),
      tr(l, 'Stato', 'Status'),
      tr(l, 'Luogo', 'Location'),
      tr(l, 'Quantità', 'Quantity'),
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
    title: tr(l, `In scadenza entro ${days} giorni${scope}`, `Expiring within ${days} days${scope}`),
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
      reply: say('question', l, tr(l, 'Quale lotto? Dimmi il codice.', 'Which lot? Tell me its code.'), {
        question: { followUp: t.text, options: [] },
      }),
    };
  const found = (await listLots({ ctx: t.ctx, input: { lotCode: code, limit: 10 } })).data.filter(
    (x) => !t.parsed.slots.item || x.itemId === t.parsed.slots.item.id,
  );
  if (found.length === 0)
    return { reply: say('answer', l, tr(l, `Non trovo il lotto ${code}.`, `I cannot find lot ${code}.`)) };
  if (found.length > 1) {
    const options = found.map((x) => ({
      label: `${x.item.code} · ${itemName(t, x.item)}`,
      text: `${t.text} ${x.item.code}`,
    }));
    return {
      reply: say(
        'question',
        l,
        tr(l, `Il lotto ${code} esiste per più articoli: quale?`, `Lot ${code} exists for several items: which one?`),
        { question: { followUp: t.text, options } },
      ),
    };
  }
  return { lot: found[0]! };
}
