import { z } from 'zod';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { dailyConsumption, stockPosition } from './demand-history.ts';
import { daysOfCover, weeklyDemand } from './policy-math.ts';

export const StockCoverInput = z.object({
  locationId: z.uuid(),
  itemIds: z.array(z.uuid()).min(1).max(500),
  /** Days of consumption history W is estimated from (the under-stock check uses 56). */
  historyDays: z.number().int().min(7).max(365).default(56),
});
export type StockCoverInput = z.input<typeof StockCoverInput>;

/**
 * Usual weekly consumption W per item at a location and below it, over the last `historyDays` days (0 when none), to
 * three decimals.
 */
export async function usualWeeklyDemand(
  ctx: Context,
  locationId: string,
  historyDays: number,
  itemIds: string[],
): Promise<Map<string, number>> {
  const history = await dailyConsumption(ctx, locationId, historyDays, itemIds);
  return new Map(itemIds.map((id) => [id, Math.round(weeklyDemand(history.get(id) ?? []).mean * 1000) / 1000]));
}

/**
 * Days of cover per item at a location and below it: usable stock on hand (available, not expired)
 * divided by daily demand, W / 7, with W the mean weekly consumption over the last `historyDays` days
 * read from the ledger. `daysOfCover` is null when nothing was consumed (no demand to divide by).
 */
export async function stockCover({ ctx, input }: { ctx: Context; input: StockCoverInput }) {
  const data = parseInput(StockCoverInput, input);
  const location = await loadLocation(ctx, data.locationId);
  authorize(ctx.actor, 'stock.read', location);
  const itemIds = [...new Set(data.itemIds)];
  const weekly = await usualWeeklyDemand(ctx, location.id, data.historyDays, itemIds);
  const position = await stockPosition(ctx, location.id, itemIds);
  return itemIds.map((itemId) => {
    const { onHand, onOrder } = position.get(itemId)!;
    const w = weekly.get(itemId)!;
    return {
      itemId,
      usableOnHand: onHand,
      onOrder,
      weeklyDemand: w,
      daysOfCover: daysOfCover(onHand, w),
      historyDays: data.historyDays,
    };
  });
}
