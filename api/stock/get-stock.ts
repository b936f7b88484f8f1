import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { authorize, readablePaths } from '../auth/permissions.ts';
import type { Context, LocationRef } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { decodeCursor, encodeCursor, Limit } from '../core/pagination.ts';
import { executeRows, pgArray } from '../core/sql-arrays.ts';
import { localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { text } from '../core/text.ts';

export const GetStockInput = z.object({
  locationId: z.uuid().optional(),
  itemId: z.uuid().optional(),
  lotId: z.uuid().optional(),
  /** With a location: include its ward stores, cabinets, homes below it. */
  includeDescendants: z.boolean().default(true),
  limit: Limit,
  cursor: text().optional(),
});
export type GetStockInput = z.input<typeof GetStockInput>;

export interface StockRow {
  locationId: string;
  locationCode: string;
  locationName: string;
  locationKind: LocationRef['kind'];
  itemId: string;
  itemCode: string;
  itemName: string;
  itemNameEn: string;
  unit: string;
  lotId: string;
  lotCode: string;
  expiry: string | null;
  status: string;
  onHand: number;
  available: number;
}

export interface StockTotal {
  itemId: string;
  itemCode: string;
  onHand: number;
  available: number;
  quarantined: number;
  recalled: number;
  expired: number;
}

type Selection = {
  locationId?: string | undefined;
  itemId?: string | undefined;
  lotId?: string | undefined;
  includeDescendants: boolean;
};

/** The status staff see: an available lot past its expiry reads as expired (`lo` is the lot). */
const status = (today: string) =>
  sql`case when lo.status = 'available' and lo.expiry < ${today}::date then 'expired' else lo.status end`;

/**
 * The positive balances a read covers, as `from … where …` over `locations` and `stock_balances b`: the location's
 * subtree (or the location alone), else the actor's readable subtrees plus the locations open to every member;
 * then the item and the lot. Paths and kinds go as array parameters, so the statement text does not depend on
 * the actor and PostgreSQL prepares each shape of read once per connection.
 */
function selection(ctx: Context, s: Selection, joins: SQL = sql``): SQL {
  const org = ctx.actor.organisationId;
  const where: SQL[] = [sql`locations.organisation_id = ${org}::uuid`];
  if (s.locationId) {
    where.push(
      s.includeDescendants
        ? sql`locations.path like (select path from target) || '%'`
        : sql`locations.id = (select id from target)`,
    );
  } else {
    const scope = readablePaths(ctx.actor, 'stock.read');
    if (!scope.all) {
      where.push(
        sql`(locations.path like any(${pgArray(
          scope.paths.map((p) => `${p}%`),
          'text',
        )}) or locations.kind = any(${pgArray([...scope.openKinds], 'text')}))`,
      );
    }
  }
  if (s.itemId) where.push(sql`b.item_id = ${s.itemId}::uuid`);
  if (s.lotId) where.push(sql`b.lot_id = ${s.lotId}::uuid`);
  return sql`from locations
    join stock_balances b on b.location_id = locations.id and b.quantity > 0 ${joins}
    where ${sql.join(where, sql` and `)}`;
}

/**
 * The statement's head: the requested location (none when the read has none) and `sel`, the selection's balances.
 * A bounded selection (a location, an item or a lot) is read once into `sel`; an unbounded one (the actor's whole
 * scope) is left for the planner to filter by the items asked for.
 */
function head(ctx: Context, s: Selection): SQL {
  const target = s.locationId
    ? sql`select id, organisation_id, path, kind from locations
        where id = ${s.locationId}::uuid and organisation_id = ${ctx.actor.organisationId}::uuid`
    : sql`select null::uuid as id, null::uuid as organisation_id, null::text as path, null::text as kind where false`;
  const bounded = Boolean(s.locationId || s.itemId || s.lotId);
  return sql`with target as (${target}),
    sel as ${sql.raw(bounded ? 'materialized' : 'not materialized')} (
      select b.location_id, b.lot_id, b.item_id, b.quantity ${selection(ctx, s)})`;
}

/**
 * Per-item totals over `sel` of the items in `wanted` (a query giving item_id, item_code), split by effective lot
 * status.
 */
function totalsOf(wanted: SQL, today: string): SQL {
  const sum = (name: string) =>
    sql.raw(`coalesce(sum(b.quantity) filter (where s.status = '${name}'), 0)::int as ${name}`);
  return sql`select w.item_id, w.item_code, sum(b.quantity)::int as on_hand,
      ${sum('available')}, ${sum('quarantined')}, ${sum('recalled')}, ${sum('expired')}
    from (${wanted}) w
    join sel b on b.item_id = w.item_id
    join lots lo on lo.id = b.lot_id
    cross join lateral (select ${status(today)} as status) s
    group by w.item_id, w.item_code`;
}

const totalsJson = sql`coalesce((select json_agg(json_build_object('itemId', item_id, 'itemCode', item_code,
    'onHand', on_hand, 'available', available,
    'quarantined', quarantined, 'recalled', recalled, 'expired', expired) order by item_code, item_id)
  from totals), '[]')`;
const locationJson = sql`(select json_build_object('id', id, 'organisationId', organisation_id, 'path', path,
    'kind', kind) from target)`;

/**
 * Runs a stock statement, then checks the location it names (carried by its first row): absent is `not_found`, out of
 * the actor's scope `forbidden`.
 */
async function run<T extends { location: LocationRef | null }>(
  ctx: Context,
  s: Selection,
  statement: SQL,
): Promise<T[]> {
  const rows = await executeRows<T>(ctx.db, statement);
  if (s.locationId) {
    const location = rows[0]?.location;
    if (!location) throw notFound('location', s.locationId);
    authorize(ctx.actor, 'stock.read', location);
  }
  return rows;
}

/**
 * Stock on hand by location × lot with availability (on hand minus quarantined, recalled and expired),
 * plus, for each item on the page, its totals over the whole selection (every location and lot of it,
 * not only the rows on this page).
 *
 * One statement, one round trip: the page's rows, the first of them also carrying the location (checked here, after
 * the read, before anything is returned) and the totals as JSON. The page is sorted by location, item, expiry (nulls
 * last) and lot; only the rows up to the page's last (location, item) are joined to their lots, so a ward's page
 * looks up ~50 lots, not every lot on hand.
 */
export async function getStock({
  ctx,
  input,
}: {
  ctx: Context;
  input: GetStockInput;
}): Promise<{ data: StockRow[]; totals: StockTotal[]; nextCursor: string | null }> {
  const data = parseInput(GetStockInput, input);
  const offset = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;
  const today = localDate(ctx.now());
  const candidates =
    data.itemId || data.lotId
      ? sql`from sel b join locations on locations.id = b.location_id join items i on i.id = b.item_id`
      : selection(ctx, data, sql`join items i on i.id = b.item_id`);
  const pageItems = sql`select distinct item_id, item_code from page where n <= ${offset}::int + ${data.limit}::int`;
  const statement = sql`${head(ctx, data)},
    cand as (
      select locations.code as location_code, locations.name as location_name, locations.kind as location_kind,
        i.code as item_code, i.name as item_name, i.name_en, i.unit, b.location_id, b.item_id, b.lot_id, b.quantity
      ${candidates}
      order by locations.code, i.code fetch first (${offset}::int + ${data.limit}::int + 1) rows with ties
    ),
    page as (
      select c.*, lo.lot_code, lo.expiry, ${status(today)} as status,
        row_number() over (order by c.location_code, c.item_code, lo.expiry nulls last, lo.lot_code) as n
      from cand c join lots lo on lo.id = c.lot_id
      order by n offset ${offset}::int limit ${data.limit}::int + 1
    ),
    totals as (${totalsOf(pageItems, today)})
    select case when page.n is null or page.n = ${offset}::int + 1 then ${locationJson} end as location,
      case when page.n is null or page.n = ${offset}::int + 1 then ${totalsJson} end as totals,
      page.n::int as n, location_id as "locationId", location_code as "locationCode", location_name as "locationName",
      location_kind as "locationKind", item_id as "itemId", item_code as "itemCode", item_name as "itemName",
      name_en as "itemNameEn", unit, lot_id as "lotId", lot_code as "lotCode",
      expiry, status, quantity as "onHand", case when status = 'available' then quantity else 0 end as available
    from (select 1) one left join page on true order by page.n`;
  const rows = await run<StockRow & { location: LocationRef | null; totals: StockTotal[] | null; n: number | null }>(
    ctx,
    data,
    statement,
  );
  const page = rows[0]!.n === null ? [] : rows.map(({ location: _l, totals: _t, n: _n, ...row }) => row);
  const more = page.length > data.limit;
  return {
    data: more ? page.slice(0, data.limit) : page,
    totals: rows[0]!.totals!,
    nextCursor: more ? encodeCursor(offset + data.limit) : null,
  };
}

export const StockTotalsInput = z.object({
  locationId: z.uuid().optional(),
  itemIds: z.array(z.uuid()).min(1).max(500),
  includeDescendants: z.boolean().default(true),
});
export type StockTotalsInput = z.input<typeof StockTotalsInput>;

/**
 * Per-item totals (on hand, available, quarantined, recalled, expired) of the named items; items with nothing on hand
 * are left out.
 */
export async function stockTotals({ ctx, input }: { ctx: Context; input: StockTotalsInput }): Promise<StockTotal[]> {
  const data = parseInput(StockTotalsInput, input);
  const wanted = sql`select i.id as item_id, i.code as item_code from items i
    where i.id = any(${pgArray(data.itemIds, 'uuid')})`;
  const statement = sql`${head(ctx, data)}, totals as (${totalsOf(wanted, localDate(ctx.now()))})
    select ${locationJson} as location, ${totalsJson} as totals`;
  const [row] = await run<{ location: LocationRef | null; totals: StockTotal[] }>(ctx, data, statement);
  return row!.totals;
}
