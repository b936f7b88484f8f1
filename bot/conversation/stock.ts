import { getStock, stockTotals } from '../../api/stock/get-stock.ts';
import { stateLabel } from '../../api/core/labels.ts';
import type { Language } from '../nlu/types.ts';
import { say, type Reply } from './reply.ts';
import { quantityText, tr } from './texts.ts';
import { catalogueItem, catalogueLocation, itemName, locationName, type Turn } from './turn.ts';

interface Row {
  item: string;
  where: string;
  available: number;
  onHand: number;
  unit: string;
  /** On hand but not usable, by the lot's status. */
  unusable: Partial<Record<Unusable, number>>;
}

const unusableStatuses = ['recalled', 'quarantined', 'expired'] as const;
type Unusable = (typeof unusableStatuses)[number];

/** ", più 10 non utilizzabili (richiamato: 10)": stock on the books that nobody may use is said, never hidden in a 0. */
function unusableText(r: Row, l: Language): string {
  const parts = unusableStatuses
    .filter((s) => (r.unusable[s] ?? 0) > 0)
    .map((s) => `${stateLabel('lot', s, l)}: ${r.unusable[s]}`);
  if (parts.length === 0) return '';
  const n = unusableStatuses.reduce((sum, s) => sum + (r.unusable[s] ?? 0), 0);
  return tr(l, `, più ${n} non utilizzabili (${parts.join(', ')})`, `, plus ${n} not usable (${parts.join(', ')})`);
}

function stockReply(t: Turn, rows: Row[], scope: string): Reply {
  const l = t.language;
  if (rows.length === 0) return say('answer', l, tr(l, `Nessuna giacenza ${scope}.`, `No stock ${scope}.`));
  const spoken = rows
    .slice(0, 3)
    .map(
      (r) =>
        `${r.where}: ${quantityText(r.available, r.unit, l)} ${tr(l, 'disponibili di', 'available of')} ${r.item}${unusableText(r, l)}`,
    );
  const more =
    rows.length > 3 ? tr(l, ` e altre ${rows.length - 3} righe.`, ` and ${rows.length - 3} more rows.`) : '.';
  const table = {
    columns: [
      tr(l, 'Articolo', 'Item'),
      tr(l, 'Luogo', 'Location'),
      tr(l, 'Disponibile', 'Available'),
      tr(l, 'Giacenza', 'On hand'),
    ],
    rows: rows.map((r) => [r.item, r.where, quantityText(r.available, r.unit, l), quantityText(r.onHand, r.unit, l)]),
  };
  return {
    kind: 'answer',
    language: l,
    title: tr(l, `Giacenze ${scope}`, `Stock ${scope}`),
    text: spoken.join('; ') + more,
    speech: spoken.join('; ') + more,
    table,
  };
}

/**
 * Stock of an item (or each candidate of an ambiguous one: showing them all is not a guess) at a location,
 * at every location the user may read, or everything at a location. Scope is the core's: another ward is refused.
 */
export async function answerStock(t: Turn): Promise<Reply> {
  const { slots, ambiguities } = t.parsed;
  const candidates = slots.item ? [slots.item] : (ambiguities[0]?.candidates ?? []);
  const location = slots.location ? catalogueLocation(t, slots.location.id) : undefined;
  const unitOf = (id: string) => catalogueItem(t, id)?.unit ?? '';
  const nameOf = (id: string, code: string) => {
    const item = catalogueItem(t, id);
    return item ? itemName(t, item) : code;
  };
  if (location && candidates.length) {
    const totals = await stockTotals({
      ctx: t.ctx,
      input: { locationId: location.id, itemIds: candidates.map((c) => c.id) },
    });
    const where = locationName(t, location);
    const rows = candidates.map((c) => {
      const total = totals.find((x) => x.itemId === c.id);
      return {
        item: itemName(t, c),
        where,
        available: total?.available ?? 0,
        onHand: total?.onHand ?? 0,
        unit: unitOf(c.id),
        unusable: {
          recalled: total?.recalled ?? 0,
          quarantined: total?.quarantined ?? 0,
          expired: total?.expired ?? 0,
        },
      };
    });
    return stockReply(t, rows, tr(t.language, `in ${where}`, `at ${where}`));
  }
  if (candidates.length) {
    const rows: Row[] = [];
    for (const c of candidates) {
      const stock = await getStock({ ctx: t.ctx, input: { itemId: c.id, limit: 200 } });
      const byPlace = new Map<string, Row>();
      for (const r of stock.data) {
        const row = byPlace.get(r.locationId) ?? {
          item: itemName(t, c),
          where: r.locationName,
          available: 0,
          onHand: 0,
          unit: r.unit,
          unusable: {},
        };
        row.available += r.available;
        row.onHand += r.onHand;
        if (r.status !== 'available')
          row.unusable[r.status as Unusable] = (row.unusable[r.status as Unusable] ?? 0) + r.onHand;
        byPlace.set(r.locationId, row);
      }
      rows.push(...byPlace.values());
    }
    return stockReply(t, rows, tr(t.language, 'nei luoghi che puoi vedere', 'at the locations you can see'));
  }
  if (location) {
    const stock = await getStock({ ctx: t.ctx, input: { locationId: location.id, limit: 200 } });
    const where = locationName(t, location);
    const rows = stock.totals.map((x) => ({
      item: nameOf(x.itemId, x.itemCode),
      where,
      available: x.available,
      onHand: x.onHand,
      unit: unitOf(x.itemId),
      unusable: { recalled: x.recalled, quarantined: x.quarantined, expired: x.expired },
    }));
    return stockReply(t, rows, tr(t.language, `in ${where}`, `at ${where}`));
  }
  const l = t.language;
  return say(
    'question',
    l,
    tr(l, 'Di quale articolo o reparto vuoi sapere la giacenza?', 'Which item or ward do you want the stock of?'),
    { question: { followUp: t.text, options: [] } },
  );
}
