import { and, eq, gte, inArray, like, sql } from 'drizzle-orm';
import { issueNoteLines, issueNotes, locations, lots, movements, requestLines, stockBalances, wardRequests } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { localDate } from '../core/time.ts';

const day = 86_400_000;

/**
 * Daily consumption per item over the last `days` days (today included) at a location and everything below it, read from
 * the ledger (consumption minus its reversals), oldest day first, zero-filled.
 */
export async function dailyConsumption(ctx: Context, path: string, days: number, itemIds?: string[]): Promise<Map<string, number[]>> {
  // The last `days` calendar days, today included (today's consumption counts).
  const firstDay = localDate(new Date(ctx.now().getTime() - (days - 1) * day));
  const since = new Date(ctx.now().getTime() - (days + 1) * day);
  const rows = await ctx.db
    .select({ itemId: movements.itemId, day: sql<string>`to_char(${movements.occurredAt} at time zone 'Europe/Rome', 'YYYY-MM-DD')`, quantity: sql<number>`sum(${movements.quantity})::int` })
    .from(movements)
    .innerJoin(locations, eq(locations.id, movements.fromLocationId))
    .where(and(eq(movements.kind, 'consumption'), like(locations.path, `${path}%`), gte(movements.occurredAt, since), itemIds ? inArray(movements.itemId, itemIds) : undefined))
    .groupBy(movements.itemId, sql`2`);
  const series = new Map<string, number[]>();
  for (const r of rows) {
    const index = Math.round((Date.parse(r.day) - Date.parse(firstDay)) / day);
    if (index < 0 || index >= days) continue;
    const s = series.get(r.itemId) ?? new Array<number>(days).fill(0);
    s[index]! += r.quantity;
    series.set(r.itemId, s);
  }
  return series;
}

/** Stock per item at a location and below it: usable on hand, and on order (outstanding request lines and goods in transit). */
export async function stockPosition(ctx: Context, path: string, itemIds: string[]) {
  if (itemIds.length === 0) return new Map<string, { onHand: number; onOrder: number }>();
  const today = localDate(ctx.now());
  const onHand = await ctx.db
    .select({ itemId: stockBalances.itemId, quantity: sql<number>`sum(${stockBalances.quantity})::int` })
    .from(stockBalances)
    .innerJoin(locations, eq(locations.id, stockBalances.locationId))
    .innerJoin(lots, eq(lots.id, stockBalances.lotId))
    .where(and(like(locations.path, `${path}%`), inArray(stockBalances.itemId, itemIds), eq(lots.status, 'available'), sql`(${lots.expiry} is null or ${lots.expiry} >= ${today})`))
    .groupBy(stockBalances.itemId);
  const outstandingLines = await ctx.db
    .select({ itemId: requestLines.itemId, quantity: sql<number>`sum(greatest(coalesce(${requestLines.quantityApproved}, ${requestLines.quantityRequested}) - ${requestLines.quantityIssued}, 0))::int` })
    .from(requestLines)
    .innerJoin(wardRequests, eq(wardRequests.id, requestLines.requestId))
    .innerJoin(locations, eq(locations.id, wardRequests.destinationId))
    .where(and(like(locations.path, `${path}%`), inArray(requestLines.itemId, itemIds), inArray(requestLines.status, ['routed', 'approved', 'picking', 'ordered', 'partially_issued'])))
    .groupBy(requestLines.itemId);
  const inTransit = await ctx.db
    .select({ itemId: issueNoteLines.itemId, quantity: sql<number>`sum(${issueNoteLines.quantity})::int` })
    .from(issueNoteLines)
    .innerJoin(issueNotes, eq(issueNotes.id, issueNoteLines.issueNoteId))
    .innerJoin(locations, eq(locations.id, issueNotes.toLocationId))
    .where(and(like(locations.path, `${path}%`), inArray(issueNoteLines.itemId, itemIds), eq(issueNotes.status, 'issued')))
    .groupBy(issueNoteLines.itemId);
  const position = new Map(itemIds.map((id) => [id, { onHand: 0, onOrder: 0 }]));
  for (const r of onHand) position.get(r.itemId)!.onHand = r.quantity;
  for (const r of [...outstandingLines, ...inTransit]) position.get(r.itemId)!.onOrder += r.quantity;
  return position;
}
