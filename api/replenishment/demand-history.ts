import { sql, type SQL } from 'drizzle-orm';
import {
  issueNoteLines,
  issueNotes,
  locations,
  lots,
  movements,
  openLineStatuses,
  requestLines,
  stockBalances,
  wardRequests,
} from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { localDate } from '../core/time.ts';
import { executeRows, pgArray } from '../core/sql-arrays.ts';

const day = 86_400_000;

/**
 * What a set-based read covers: for each target location, the items asked about (all items when absent).
 * With `subtree` a target covers itself and every location below it (a ward with its store and cabinets);
 * without, exactly itself (a team's homes).
 */
export interface Coverage {
  locationId: string;
  itemIds?: readonly string[];
}

/** `target|item`: the key of every series and position these reads return. */
export const pairKey = (locationId: string, itemId: string) => `${locationId}|${itemId}`;

/**
 * The CTEs `covered(target, location_id)` — each target and, with `subtree`, its descendants, walked by
 * parent (an index probe per location, so a thousand homes cost a thousand probes, not a scan of paths) —
 * and, when every target names its items, `pairs(target, item)` for the reads to join on.
 */
function coverage(targets: readonly Coverage[], subtree: boolean): { with: SQL; pairs: boolean } {
  const ids = [...new Set(targets.map((t) => t.locationId))];
  const covered = subtree
    ? sql`covered(target, location_id) as (
        select t, t from unnest(${pgArray(ids, 'uuid')}) as t
        union all
        select c.target, l.id from covered c join ${locations} l on l.parent_id = c.location_id)`
    : sql`covered(target, location_id) as (select t, t from unnest(${pgArray(ids, 'uuid')}) as t)`;
  if (!targets.every((t) => t.itemIds)) return { with: sql`with recursive ${covered}`, pairs: false };
  const pairs = targets.flatMap((t) => t.itemIds!.map((item) => [t.locationId, item] as const));
  return {
    with: sql`with recursive ${covered}, pairs(target, item) as (select * from unnest(${pgArray(
      pairs.map((p) => p[0]),
      'uuid',
    )}, ${pgArray(
      pairs.map((p) => p[1]),
      'uuid',
    )}))`,
    pairs: true,
  };
}

/** `join pairs` on the target and the given item column, when the read is limited to named items. */
const pairJoin = (scope: { pairs: boolean }, itemColumn: SQL) =>
  scope.pairs ? sql`join pairs p on p.target = c.target and p.item = ${itemColumn}` : sql``;

/**
 * Daily consumption per target × item over the last `days` calendar days (today included), read from the
 * ledger's consumption movements that were not reversed (a consumption booked by mistake is not demand) at
 * the targets (and below them, with `subtree`), oldest day first,
 * zero-filled, keyed `target|item`. One grouped query whatever the number of targets.
 */
export async function consumptionSeries(
  ctx: Context,
  targets: readonly Coverage[],
  days: number,
  options: { subtree: boolean },
): Promise<Map<string, number[]>> {
  const series = new Map<string, number[]>();
  if (targets.length === 0) return series;
  const firstDay = localDate(new Date(ctx.now().getTime() - (days - 1) * day));
  const since = new Date(ctx.now().getTime() - (days + 1) * day);
  const scope = coverage(targets, options.subtree);
  // Lateral subqueries fenced with `offset 0`: one index range per covered location (movements by origin and
  // time), never a scan of the ledger, whatever the planner guesses of array sizes or of a table growing
  // faster than its statistics.
  const rows = await executeRows<{ target: string; item_id: string; day: string; quantity: number }>(
    ctx.db,
    sql`
    ${scope.with}
    select c.target, m.item_id, to_char(m.occurred_at at time zone 'Europe/Rome', 'YYYY-MM-DD') as day,
      sum(m.quantity)::int as quantity
    from covered c cross join lateral (
      select m.item_id, m.occurred_at, m.quantity from ${movements} m
      where m.from_location_id = c.location_id and m.occurred_at >= ${since.toISOString()}::timestamptz
        and m.kind = 'consumption'
        and not exists (select 1 from ${movements} r where r.reverses_id = m.id) offset 0) m
    ${pairJoin(scope, sql`m.item_id`)}
    group by 1, 2, 3`,
  );
  for (const r of rows) {
    const index = Math.round((Date.parse(r.day) - Date.parse(firstDay)) / day);
    if (index < 0 || index >= days) continue;
    const key = pairKey(r.target, r.item_id);
    const s = series.get(key) ?? new Array<number>(days).fill(0);
    s[index]! += Number(r.quantity);
    series.set(key, s);
  }
  return series;
}

/**
 * Stock position per target × item: usable on hand (available lots not past expiry) and on order
 * (outstanding request lines — approved, or requested while not evaluated, less issued — and goods in
 * transit on issued notes), at the targets (and below them, with `subtree`). Every named pair has an entry.
 * One statement whatever the number of targets.
 */
export async function stockPositions(
  ctx: Context,
  targets: readonly Coverage[],
  options: { subtree: boolean },
): Promise<Map<string, { onHand: number; onOrder: number }>> {
  const position = new Map<string, { onHand: number; onOrder: number }>();
  for (const t of targets)
    for (const item of t.itemIds ?? []) position.set(pairKey(t.locationId, item), { onHand: 0, onOrder: 0 });
  if (targets.length === 0) return position;
  const scope = coverage(targets, options.subtree);
  const rows = await executeRows<{ part: 'hand' | 'order'; target: string; item_id: string; quantity: number }>(
    ctx.db,
    sql`
    ${scope.with}
    select 'hand' as part, c.target, b.item_id, sum(b.quantity)::int as quantity
    from covered c cross join lateral (
      select b.item_id, b.quantity from ${stockBalances} b join ${lots} l on l.id = b.lot_id
      where b.location_id = c.location_id and b.quantity > 0 and l.status = 'available'
        and (l.expiry is null or l.expiry >= ${localDate(ctx.now())}::date) offset 0) b
    ${pairJoin(scope, sql`b.item_id`)}
    group by 2, 3
    union all
    select 'order', c.target, rl.item_id,
      sum(greatest(coalesce(rl.quantity_approved, rl.quantity_requested) - rl.quantity_issued, 0))::int
    from covered c cross join lateral (
      select rl.* from ${wardRequests} r join ${requestLines} rl on rl.request_id = r.id
      where r.destination_id = c.location_id and rl.status = any(${pgArray(openLineStatuses, 'text')}) offset 0) rl
    ${pairJoin(scope, sql`rl.item_id`)}
    group by 2, 3
    union all
    select 'order', c.target, nl.item_id, sum(nl.quantity)::int
    from covered c cross join lateral (
      select nl.item_id, nl.quantity from ${issueNotes} n join ${issueNoteLines} nl on nl.issue_note_id = n.id
      where n.to_location_id = c.location_id and n.status = 'issued' offset 0) nl
    ${pairJoin(scope, sql`nl.item_id`)}
    group by 2, 3`,
  );
  for (const r of rows) {
    const key = pairKey(r.target, r.item_id);
    const entry = position.get(key) ?? { onHand: 0, onOrder: 0 };
    if (r.part === 'hand') entry.onHand += Number(r.quantity);
    else entry.onOrder += Number(r.quantity);
    position.set(key, entry);
  }
  return position;
}

/** Keeps one target's entries, keyed by item. */
function ofTarget<T>(byPair: Map<string, T>, locationId: string): Map<string, T> {
  const prefix = `${locationId}|`;
  return new Map([...byPair].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

/**
 * Daily consumption per item at a location and everything below it (all items it consumed, or the named ones), keyed by
 * item.
 */
export async function dailyConsumption(
  ctx: Context,
  locationId: string,
  days: number,
  itemIds?: string[],
): Promise<Map<string, number[]>> {
  return ofTarget(await consumptionSeries(ctx, [{ locationId, itemIds }], days, { subtree: true }), locationId);
}

/** Stock position per named item at a location and below it, keyed by item. */
export async function stockPosition(ctx: Context, locationId: string, itemIds: string[]) {
  return ofTarget(await stockPositions(ctx, [{ locationId, itemIds }], { subtree: true }), locationId);
}

/** Daily consumption at exactly each of several locations (a home-care team's homes), keyed `locationId|itemId`. */
export const dailyConsumptionByLocation = (ctx: Context, locationIds: string[], days: number) =>
  consumptionSeries(
    ctx,
    locationIds.map((locationId) => ({ locationId })),
    days,
    { subtree: false },
  );

/**
 * Stock position at exactly each of several locations (a team's homes), every item found, keyed `locationId|itemId`.
 */
export const positionByLocation = (ctx: Context, locationIds: string[]) =>
  stockPositions(
    ctx,
    locationIds.map((locationId) => ({ locationId })),
    { subtree: false },
  );
