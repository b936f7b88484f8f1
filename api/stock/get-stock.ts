import { and, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { items, locations, lots, stockBalances } from '../../db/schema/index.ts';
import { authorize, readablePaths } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { decodeCursor, encodeCursor, Limit } from '../core/pagination.ts';
import { localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';

export const GetStockInput = z.object({
  locationId: z.uuid().optional(),
  itemId: z.uuid().optional(),
  lotId: z.uuid().optional(),
  /** With a location: include its ward stores, cabinets, homes below it. */
  includeDescendants: z.boolean().default(true),
  limit: Limit,
  cursor: z.string().optional(),
});
export type GetStockInput = z.input<typeof GetStockInput>;

/** SQL for the status staff see: an available lot past its expiry reads as expired. */
const effectiveStatus = (today: string) => sql<string>`case when ${lots.status} = 'available' and ${lots.expiry} < ${today} then 'expired' else ${lots.status} end`;

/** Scope filter for reads without a location: the actor's subtrees, plus locations open to every member. */
export function readableLocations(ctx: Context): SQL | undefined {
  const scope = readablePaths(ctx.actor, 'stock.read');
  if (scope.all) return undefined;
  const parts: SQL[] = scope.paths.map((p) => like(locations.path, `${p}%`));
  if (scope.openKinds.length) parts.push(inArray(locations.kind, [...scope.openKinds]));
  return parts.length ? or(...parts) : sql`false`;
}

/** The selection a stock read covers: the actor's scope, a location (and its subtree), an item, a lot. */
async function stockSelection(ctx: Context, data: { locationId?: string; itemId?: string; lotId?: string; includeDescendants: boolean }) {
  const where: (SQL | undefined)[] = [eq(locations.organisationId, ctx.actor.organisationId), sql`${stockBalances.quantity} > 0`];
  if (data.locationId) {
    const location = await loadLocation(ctx, data.locationId);
    authorize(ctx.actor, 'stock.read', location);
    where.push(data.includeDescendants ? like(locations.path, `${location.path}%`) : eq(stockBalances.locationId, location.id));
  } else {
    where.push(readableLocations(ctx));
  }
  if (data.itemId) where.push(eq(stockBalances.itemId, data.itemId));
  if (data.lotId) where.push(eq(stockBalances.lotId, data.lotId));
  return and(...where)!;
}

/** Per-item totals of a selection, split by effective lot status. */
function selectTotals(ctx: Context, filter: SQL) {
  const status = effectiveStatus(localDate(ctx.now()));
  return ctx.db
    .select({
      itemId: stockBalances.itemId,
      itemCode: items.code,
      onHand: sql<number>`sum(${stockBalances.quantity})::int`,
      available: sql<number>`coalesce(sum(${stockBalances.quantity}) filter (where ${status} = 'available'), 0)::int`,
      quarantined: sql<number>`coalesce(sum(${stockBalances.quantity}) filter (where ${status} = 'quarantined'), 0)::int`,
      recalled: sql<number>`coalesce(sum(${stockBalances.quantity}) filter (where ${status} = 'recalled'), 0)::int`,
      expired: sql<number>`coalesce(sum(${stockBalances.quantity}) filter (where ${status} = 'expired'), 0)::int`,
    })
    .from(stockBalances)
    .innerJoin(locations, eq(locations.id, stockBalances.locationId))
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .innerJoin(lots, eq(lots.id, stockBalances.lotId))
    .where(filter)
    .groupBy(stockBalances.itemId, items.code)
    .orderBy(items.code);
}

/**
 * Stock on hand by location × lot with availability (on hand minus quarantined, recalled and expired),
 * plus, for each item on the page, its totals over the whole selection (every location and lot of it,
 * not only the rows on this page). Totals follow the page so a read costs what the page holds, not what
 * the subtree holds: a ward's first page is two index scans whatever the age of its ledger.
 */
export async function getStock({ ctx, input }: { ctx: Context; input: GetStockInput }) {
  const data = parseInput(GetStockInput, input);
  const filter = await stockSelection(ctx, data);
  const offset = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;

  const rows = await ctx.db
    .select({
      locationId: stockBalances.locationId,
      locationCode: locations.code,
      locationName: locations.name,
      locationKind: locations.kind,
      itemId: stockBalances.itemId,
      itemCode: items.code,
      itemName: items.name,
      itemNameEn: items.nameEn,
      unit: items.unit,
      lotId: stockBalances.lotId,
      lotCode: lots.lotCode,
      expiry: lots.expiry,
      status: effectiveStatus(localDate(ctx.now())),
      onHand: stockBalances.quantity,
    })
    .from(stockBalances)
    .innerJoin(locations, eq(locations.id, stockBalances.locationId))
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .innerJoin(lots, eq(lots.id, stockBalances.lotId))
    .where(filter)
    .orderBy(locations.code, items.code, sql`${lots.expiry} nulls last`, lots.lotCode)
    .limit(data.limit + 1)
    .offset(offset);

  const page = rows.slice(0, data.limit).map((r) => ({ ...r, available: r.status === 'available' ? r.onHand : 0 }));
  const itemIds = [...new Set(page.map((r) => r.itemId))];
  const totals = itemIds.length ? await selectTotals(ctx, and(filter, inArray(stockBalances.itemId, itemIds))!) : [];
  return { data: page, totals, nextCursor: rows.length > data.limit ? encodeCursor(offset + data.limit) : null };
}

export const StockTotalsInput = z.object({
  locationId: z.uuid().optional(),
  itemIds: z.array(z.uuid()).min(1).max(500),
  includeDescendants: z.boolean().default(true),
});
export type StockTotalsInput = z.input<typeof StockTotalsInput>;

/** Per-item totals (on hand, available, quarantined, recalled, expired) of the named items; items with nothing on hand are left out. */
export async function stockTotals({ ctx, input }: { ctx: Context; input: StockTotalsInput }) {
  const data = parseInput(StockTotalsInput, input);
  const filter = await stockSelection(ctx, data);
  return selectTotals(ctx, and(filter, inArray(stockBalances.itemId, data.itemIds))!);
}
