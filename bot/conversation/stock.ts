import { getStock, stockTotals } from '../../api/stock/get-stock.ts';
import { render } from '../../api/core/messages/index.ts';
import { stateLabel } from '../../api/core/messages/labels.ts';
import type { Language } from '../nlu/types.ts';
import { say, type Reply } from './reply.ts';
import { quantityText } from './texts.ts';
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

/**
 * ", più 10 non utilizzabili (richiamato: 10)": stock on the books that nobody may use is said, never hidden in a 0.
 */
function unusableText(r: Row, l: Language): string {
  const parts = unusableStatuses
    .filter((s) => (r.unusable[s] ?? 0) > 0)
    .map((s) => `${stateLabel('lot', s, l)}: ${r.unusable[s]}`);
  if (parts.length === 0) return '';
  const n = unusableStatuses.reduce((sum, s) => sum + (r.unusable[s] ?? 0), 0);
  return render('stock_unusable', l, { quantity: n, parts: parts.join(', ') });
}

function stockReply(t: Turn, rows: Row[], scope: string): Reply {
  const l = t.language;
  if (rows.length === 0) return say('answer', l, render('stock_none', l, { scope }));
  const spoken = rows.slice(0, 3).map((r) =>
    render('stock_line', l, {
      where: r.where,
      quantity: quantityText(r.available, r.unit, l),
      item: r.item,
      unusable: unusableText(r, l),
    }),
  );
  const more = rows.length > 3 ? ` ${render('stock_more_rows', l, { rows: rows.length - 3 })}` : '.';
  const table = {
    columns: [
      render('column_item', l),
      render('column_location', l),
      render('column_available', l),
      render('column_on_hand', l),
    ],
    rows: rows.map((r) => [r.item, r.where, quantityText(r.available, r.unit, l), quantityText(r.onHand, r.unit, l)]),
  };
  return {
    kind: 'answer',
    language: l,
    title: render('stock_title', l, { scope }),
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
    return stockReply(t, rows, render('at_location', t.language, { location: where }));
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
    return stockReply(t, rows, render('stock_everywhere', t.language));
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
    return stockReply(t, rows, render('at_location', t.language, { location: where }));
  }
  const l = t.language;
  return say('question', l, render('stock_which', l), { question: { followUp: t.text, options: [] } });
}
