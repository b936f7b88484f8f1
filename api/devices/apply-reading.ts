import { and, eq, inArray, or } from 'drizzle-orm';
import { deviceConsumptionRules, items } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import type { LocationRow } from '../locations/load-location.ts';
import { stockPosition } from '../replenishment/demand-history.ts';
import { checkUnderStock } from '../replenishment/under-stock.ts';
import { recordConsumption } from '../stock/record-consumption.ts';
import type { LevelsPayload, ReadingPayload } from './payloads.ts';
import type { DeviceRow } from './register-device.ts';
import { flagUnusableStock, type SeenItem } from './unusable-stock-alerts.ts';

export interface Applied {
  movements: number;
  notes: string[];
  requests: Awaited<ReturnType<typeof checkUnderStock>>;
}

/**
 * A cabinet or shelf level: per item, what the bins hold now (counts, or weights over the item's unit
 * weight). Less than the usable books is consumption (FEFO, at the device's location); more is reported, not
 * booked — goods must arrive through an issue or a transfer — and raises an alert when the books hold recalled,
 * quarantined or expired units there (they are likely still in the bins). Then the reorder check.
 */
export async function applyLevels(
  ctx: Context,
  device: DeviceRow,
  location: LocationRow,
  payload: LevelsPayload,
): Promise<Applied> {
  const refs = [...new Set(payload.bins.map((b) => b.item))];
  const gtins = refs.filter((r) => /^\d{8,14}$/.test(r)).map((r) => r.padStart(14, '0'));
  const found = await ctx.db
    .select({ id: items.id, code: items.code, gtin: items.gtin, unitWeightGrams: items.unitWeightGrams })
    .from(items)
    .where(
      and(
        eq(items.organisationId, device.organisationId),
        or(inArray(items.code, refs), gtins.length ? inArray(items.gtin, gtins) : undefined),
      ),
    );
  const observed = new Map<string, number>();
  const fields: { field: string; message: string }[] = [];
  for (const [i, bin] of payload.bins.entries()) {
    const item = found.find((f) => f.code === bin.item || (f.gtin !== null && f.gtin === bin.item.padStart(14, '0')));
    if (!item) {
      fields.push({ field: `bins.${i}.item`, message: `unknown item ${bin.item}` });
      continue;
    }
    let count = bin.count;
    if (count === undefined) {
      if (!item.unitWeightGrams) {
        fields.push({ field: `bins.${i}.weightGrams`, message: `item ${item.code} has no unit weight: send a count` });
        continue;
      }
      count = Math.round(bin.weightGrams! / item.unitWeightGrams);
    }
    observed.set(item.id, (observed.get(item.id) ?? 0) + count);
  }
  if (fields.length) throw new DomainError('validation', 'validation', { fields });
  const books = await stockPosition(ctx, location.id, [...observed.keys()]);
  const lines: { itemId: string; quantity: number }[] = [];
  const notes: string[] = [];
  const seen: SeenItem[] = [];
  for (const [itemId, count] of observed) {
    const book = books.get(itemId)!.onHand;
    seen.push({ itemId, code: found.find((f) => f.id === itemId)!.code, seen: count, usableOnBooks: book });
    if (count < book) lines.push({ itemId, quantity: book - count });
  }
  // More seen than the usable books: recalled, quarantined or expired units still in the bins raise an alert.
  const flagged = await flagUnusableStock(ctx, device, location, seen, payload.seq);
  for (const s of seen) {
    if (s.seen > s.usableOnBooks)
      notes.push(flagged.get(s.itemId) ?? `${s.code}: ${s.seen} seen, ${s.usableOnBooks} on the books`);
  }
  const movements = lines.length
    ? (
        await recordConsumption({
          ctx,
          input: {
            locationId: location.id,
            lines,
            reason: `${device.code} levels #${payload.seq}`,
            occurredAt: payload.ts,
          },
        })
      ).movements.length
    : 0;
  const requests = await checkUnderStock(ctx, location, [...observed.keys()], {
    device: device.code,
    seq: payload.seq,
    kind: 'levels',
  });
  return { movements, notes, requests };
}

/**
 * A wearable or telehealth reading: what its event consumes, by the organisation's rules for the device
 * kind (a glucose measurement: one strip and one lancet), from the stock at the device's location, then
 * the reorder check. A reading with no rule is recorded and consumes nothing.
 */
export async function applyReading(
  ctx: Context,
  device: DeviceRow,
  location: LocationRow,
  payload: ReadingPayload,
): Promise<Applied> {
  const rules = await ctx.db
    .select()
    .from(deviceConsumptionRules)
    .where(
      and(
        eq(deviceConsumptionRules.organisationId, device.organisationId),
        eq(deviceConsumptionRules.deviceKind, device.kind),
        eq(deviceConsumptionRules.event, payload.type),
      ),
    );
  if (rules.length === 0)
    return { movements: 0, notes: [`no consumption rule for ${device.kind} ${payload.type}`], requests: [] };
  const { movements } = await recordConsumption({
    ctx,
    input: {
      locationId: location.id,
      lines: rules.map((r) => ({ itemId: r.itemId, quantity: r.quantity })),
      reason: `${device.code} ${payload.type} #${payload.seq}`,
      occurredAt: payload.ts,
    },
  });
  const requests = await checkUnderStock(
    ctx,
    location,
    rules.map((r) => r.itemId),
    { device: device.code, seq: payload.seq, kind: payload.type },
  );
  return { movements: movements.length, notes: [], requests };
}
