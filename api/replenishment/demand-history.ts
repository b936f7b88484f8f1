import { and, eq, gte, inArray, like, sql } from 'drizzle-orm';
import { issueNoteLines, issueNotes, locations, lots, movements, requestLines, stockBalances, wardRequests } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { localDate } from '../core/time.ts';

const day = 86_400_000;

/** The first calendar day of a `days`-long series ending today, and the instant before which nothing counts. */
function seriesWindow(ctx: Context, days: number) {
  // The last `days` calendar days, today included (today's consumption counts).
  return { firstDay: localDate(new Date(ctx.now().getTime() - (days - 1) * day)), since: new Date(ctx.now().getTime() - (days + 1) * day) };
}

const dayOf = sql<string>`to_char(${movements.occurredAt} at time zone 'Europe/Rome', 'YYYY-MM-DD')`;

/** Adds a day's total into a zero-filled series keyed by `key`, ignoring days outside the window. */
function addToSeries(series: Map<string, number[]>, key: string, date: string, quantity: number, firstDay: string, days: number) {
  const index = Math.round((Date.parse(date) - Date.parse(firstDay)) / day);
  if (index < 0 || index >= days) return;
  const s = series.get(key) ?? new Array<number>(days).fill(0);
  s[index]! += quantity;
  series.set(key, s);
}

/**
 * Daily consumption per item over the last `days` days (today included) at a location and everything below it, read from
 * the ledger (consumption minus its reversals), oldest day first, zero-filled.
 */
export async function dailyConsumption(ctx: Context, path: string, days: number, itemIds?: string[]): Promise<Map<string, number[]>> {
  const { firstDay, since } = seriesWindow(ctx, days);
  const rows = await ctx.db
    .select({ itemId: movements.itemId, day: dayOf, quantity: sql<number>`sum(${movements.quantity})::int` })
    .from(movements)
    .innerJoin(locations, eq(locations.id, movements.fromLocationId))
    .where(and(eq(movements.kind, 'consumption'), like(locations.path, `${path}%`), gte(movements.occurredAt, since), itemIds ? inArray(movements.itemId, itemIds) : undefined))
    .groupBy(movements.itemId, sql`2`);
  const series = new Map<string, number[]>();
  for (const r of rows) addToSeries(series, r.itemId, r.day, r.quantity, firstDay, days);
  return series;
}

/**
 * Like `dailyConsumption`, at exactly each of several locations at once (a home-care team's homes): one
 * grouped query, series keyed `locationId|itemId`.
 */
export async function dailyConsumptionByLocation(ctx: Context, locationIds: string[], days: number): Promise<Map<string, number[]>> {
  if (locationIds.length === 0) return new Map();
  const { firstDay, since } = seriesWindow(ctx, days);
  const rows = await ctx.db
    .select({ locationId: movements.fromLocationId, itemId: movements.itemId, day: dayOf, quantity: sql<number>`sum(${movements.quantity})::int` })
    .from(movements)
    .where(and(eq(movements.kind, 'consumption'), inArray(movements.fromLocationId, locationIds), gte(movements.occurredAt, since)))
    .groupBy(movements.fromLocationId, movements.itemId, sql`3`);
  const series = new Map<string, number[]>();
  for (const r of rows) addToSeries(series, `${r.locationId}|${r.itemId}`, r.day, r.quantity, firstDay, days);
  return series;
}

const outstandingSum = sql<number>`sum(greatest(coalesce(${requestLines.quantityApproved}, ${requestLines.quantityRequested}) - ${requestLines.quantityIssued}, 0))::int`;
const openLineStatuses = ['routed', 'approved', 'picking', 'ordered', 'partially_issued'] as const;

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
    .select({ itemId: requestLines.itemId, quantity: outstandingSum })
    .from(requestLines)
    .innerJoin(wardRequests, eq(wardRequests.id, requestLines.requestId))
    .innerJoin(locations, eq(locations.id, wardRequests.destinationId))
    .where(and(like(locations.path, `${path}%`), inArray(requestLines.itemId, itemIds), inArray(requestLines.status, openLineStatuses)))
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

/**
 * `stockPosition` at exactly each of several locations at once (a team's homes), keyed `locationId|itemId`:
 * usable on hand, and on order (outstanding request lines and goods in transit to it). Three grouped
 * queries whatever the number of locations.
 */
export async function positionByLocation(ctx: Context, locationIds: string[]): Promise<Map<string, { onHand: number; onOrder: number }>> {
  const position = new Map<string, { onHand: number; onOrder: number }>();
  if (locationIds.length === 0) return position;
  const today = localDate(ctx.now());
  const onHand = await ctx.db
    .select({ locationId: stockBalances.locationId, itemId: stockBalances.itemId, quantity: sql<number>`sum(${stockBalances.quantity})::int` })
    .from(stockBalances)
    .innerJoin(lots, eq(lots.id, stockBalances.lotId))
    .where(and(inArray(stockBalances.locationId, locationIds), sql`${stockBalances.quantity} > 0`, eq(lots.status, 'available'), sql`(${lots.expiry} is null or ${lots.expiry} >= ${today})`))
    .groupBy(stockBalances.locationId, stockBalances.itemId);
  const outstandingLines = await ctx.db
    .select({ locationId: wardRequests.destinationId, itemId: requestLines.itemId, quantity: outstandingSum })
    .from(requestLines)
    .innerJoin(wardRequests, eq(wardRequests.id, requestLines.requestId))
    .where(and(inArray(wardRequests.destinationId, locationIds), inArray(requestLines.status, openLineStatuses)))
    .groupBy(wardRequests.destinationId, requestLines.itemId);
  const inTransit = await ctx.db
    .select({ locationId: issueNotes.toLocationId, itemId: issueNoteLines.itemId, quantity: sql<number>`sum(${issueNoteLines.quantity})::int` })
    .from(issueNoteLines)
    .innerJoin(issueNotes, eq(issueNotes.id, issueNoteLines.issueNoteId))
    .where(and(inArray(issueNotes.toLocationId, locationIds), eq(issueNotes.status, 'issued')))
    .groupBy(issueNotes.toLocationId, issueNoteLines.itemId);
  const at = (locationId: string, itemId: string) => {
    const key = `${locationId}|${itemId}`;
    if (!position.has(key)) position.set(key, { onHand: 0, onOrder: 0 });
    return position.get(key)!;
  };
  for (const r of onHand) at(r.locationId, r.itemId).onHand = r.quantity;
  for (const r of [...outstandingLines, ...inTransit]) at(r.locationId, r.itemId).onOrder += r.quantity;
  return position;
}
