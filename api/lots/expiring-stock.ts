import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { authorize, readablePaths } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { pgArray } from '../core/sql-arrays.ts';
import { localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { proposeMoves } from './redistribution.ts';
import { executeRows } from '../core/sql-arrays.ts';
import type { LocationKind, LotStatus } from '../../db/schema/index.ts';

export const ExpiringStockInput = z.object({
  /** A location and everything below it; the actor's scope when omitted. */
  locationId: z.uuid().optional(),
  /** Lots expiring within this many days from today (0: today); already expired stock is included. */
  withinDays: z.number().int().min(0).max(730).default(30),
  /** Only this item's lots. */
  itemId: z.uuid().optional(),
  /** Days of past consumption the redistribution proposals judge use rates on. */
  rateDays: z.number().int().min(7).max(365).default(30),
});
export type ExpiringStockInput = z.input<typeof ExpiringStockInput>;

/**
 * Stock on hand that expires within N days (or has expired), per location and lot, with days left; and
 * proposals to move short-dated stock from where it would expire unused to where the item is consumed
 * faster (use rates from the last `rateDays` days of consumption in the ledger, per location subtree).
 */
export async function expiringStock({ ctx, input }: { ctx: Context; input: ExpiringStockInput }) {
  const data = parseInput(ExpiringStockInput, input);
  const root = data.locationId ? await loadLocation(ctx, data.locationId) : null;
  if (root) authorize(ctx.actor, 'stock.read', root);
  else authorize(ctx.actor, 'stock.read');
  const scope = readablePaths(ctx.actor, 'stock.read');
  const org = ctx.actor.organisationId;
  const today = localDate(ctx.now());
  const paths = root ? [root.path] : scope.all ? [] : scope.paths;
  const inScope = paths.length
    ? sql`and (${sql.join(
        paths.map((p) => sql`loc.path like ${`${p}%`}`),
        sql` or `,
      )})`
    : sql``;
  const where = data.itemId ? sql`${inScope} and l.item_id = ${data.itemId}` : inScope;
  type Row = Record<'location_id' | 'location_code' | 'location_name' | 'path' | 'lot_id' | 'lot_code', string> &
    Record<'expiry' | 'item_id' | 'item_code' | 'item_name' | 'item_name_en' | 'unit', string> & {
      location_kind: LocationKind;
      status: LotStatus;
      quantity: number;
      days_left: number | string;
      price: string | null;
    };
  const rows = await executeRows<Row>(
    ctx.db,
    sql`
    select b.location_id, loc.code as location_code, loc.name as location_name, loc.kind as location_kind, loc.path,
           b.lot_id, l.lot_code, l.expiry::text as expiry, l.status, i.id as item_id, i.code as item_code,
             i.name as item_name, i.name_en as item_name_en, i.unit,
           b.quantity, (l.expiry - ${today}::date) as days_left, l.purchase_price::text as price
      from stock_balances b
      join lots l on l.id = b.lot_id join items i on i.id = l.item_id join locations loc on loc.id = b.location_id
     where b.quantity > 0 and loc.organisation_id = ${org}
       and l.expiry <= ${today}::date + ${data.withinDays}::int ${where}
     order by l.expiry, loc.code, l.lot_code`,
  );
  const itemIds = [...new Set(rows.map((r) => r.item_id as string))];
  const rates = itemIds.length
    ? await executeRows<{ location_id: string; item_id: string; per_day: string }>(
        ctx.db,
        sql`
        with used as (
          select m.from_location_id as location_id, m.item_id, sum(m.quantity)::numeric as q from movements m
           where m.organisation_id = ${org} and m.kind = 'consumption' and m.item_id = any(${pgArray(itemIds, 'uuid')})
             and m.occurred_at >= ${ctx.now().toISOString()}::timestamptz - make_interval(days => ${data.rateDays})
             group by 1, 2
        )
        select a.id as location_id, u.item_id, (sum(u.q) / ${data.rateDays})::text as per_day
          from locations a join locations c on c.path like a.path || '%' join used u on u.location_id = c.id
         where a.organisation_id = ${org} group by a.id, u.item_id`,
      )
    : [];
  const stock = rows.map((r) => ({
    location: { id: r.location_id, code: r.location_code, name: r.location_name, kind: r.location_kind },
    lot: {
      id: r.lot_id,
      lotCode: r.lot_code,
      expiry: r.expiry,
      status: Number(r.days_left) < 0 && r.status === 'available' ? 'expired' : r.status,
    },
    item: { id: r.item_id, code: r.item_code, name: r.item_name, nameEn: r.item_name_en, unit: r.unit },
    quantity: r.quantity,
    daysLeft: Number(r.days_left),
    value: r.price === null ? null : Math.round(Number(r.price) * r.quantity * 10_000) / 10_000,
  }));
  const proposals = proposeMoves(
    rows
      .filter(
        (r) =>
          r.status === 'available' &&
          Number(r.days_left) > 0 &&
          ['ward_store', 'cabinet', 'ward', 'home', 'warehouse', 'pharmacy'].includes(r.location_kind),
      )
      .map((r) => ({
        locationId: r.location_id,
        lotId: r.lot_id,
        itemId: r.item_id,
        quantity: r.quantity,
        daysLeft: Number(r.days_left),
      })),
    rates.map((r) => ({ locationId: r.location_id, itemId: r.item_id, perDay: Number(r.per_day) })),
  );
  return { today, withinDays: data.withinDays, data: stock, proposals };
}
