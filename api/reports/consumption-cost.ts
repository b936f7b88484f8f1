import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { rangeInOrder } from '../core/ranges.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { executeRows } from '../core/sql-arrays.ts';

export const ConsumptionCostInput = z
  .object({
    /** A ward (or any location): its whole subtree is counted. The whole organisation when omitted. */
    locationId: z.uuid().optional(),
    /** Period, from (inclusive) to (exclusive), as dates in Italy. */
    from: z.iso.date(),
    to: z.iso.date(),
  })
  .superRefine(rangeInOrder('from', 'to'));
export type ConsumptionCostInput = z.input<typeof ConsumptionCostInput>;

/**
 * What was consumed, and what it cost at the lots' purchase prices, by ward over a period: Σ quantity ×
 * lot price of the consumption movements (net of reversed ones) of every location in the subtree, grouped
 * by the ward each location belongs to (its nearest `ward` ancestor; else itself), and by item within it.
 * One set-based statement: the movements are summed per (location, lot) first, then priced and mapped to
 * wards, so the work grows with the period's movements, never with a per-row subquery.
 */
export async function consumptionCost({ ctx, input }: { ctx: Context; input: ConsumptionCostInput }) {
  const data = parseInput(ConsumptionCostInput, input);
  authorize(ctx.actor, 'reports.read');
  const root = data.locationId ? await loadLocation(ctx, data.locationId) : null;
  const org = ctx.actor.organisationId;
  const scope = root
    ? sql`and m.from_location_id in (select id from locations where organisation_id = ${org}
      and path like ${`${root.path}%`})`
    : sql``;
  const scopeIn = root
    ? sql`and m.to_location_id in (select id from locations where organisation_id = ${org}
      and path like ${`${root.path}%`})`
    : sql``;
  const rows = await executeRows<{
    ward_id: string;
    ward_code: string;
    ward_name: string;
    item_id: string;
    item_code: string;
    item_name: string;
    quantity: number;
    cost: string;
    unpriced: number;
  }>(
    ctx.db,
    sql`
    with used as (
      select m.from_location_id as location_id, m.lot_id, sum(m.quantity)::bigint as q
        from movements m
       where m.organisation_id = ${org} and m.kind = 'consumption'
         and m.occurred_at >= (${data.from}::date at time zone 'Europe/Rome')
         and m.occurred_at < (${data.to}::date at time zone 'Europe/Rome') ${scope}
       group by 1, 2
      union all
      select m.to_location_id, m.lot_id, -sum(m.quantity)::bigint
        from movements m join movements r on r.id = m.reverses_id and r.kind = 'consumption'
       where m.organisation_id = ${org} and m.kind = 'reversal'
         and m.occurred_at >= (${data.from}::date at time zone 'Europe/Rome')
         and m.occurred_at < (${data.to}::date at time zone 'Europe/Rome') ${scopeIn}
       group by 1, 2
    ), per_loc as (
      select u.location_id, l.item_id, sum(u.q)::bigint as q, sum(u.q * coalesce(l.purchase_price, 0)) as cost,
             sum(u.q) filter (where l.purchase_price is null)::bigint as unpriced
        from used u join lots l on l.id = u.lot_id group by 1, 2
    ), wards as materialized (
      select h.id as location_id,
             coalesce((select w.id from locations w where w.organisation_id = h.organisation_id and w.kind = 'ward'
               and h.path like w.path || '%'
                        order by length(w.path) desc limit 1), h.id) as ward_id
        from locations h where h.id in (select location_id from per_loc)
    )
    select w.ward_id, wl.code as ward_code, wl.name as ward_name, p.item_id, i.code as item_code, i.name as item_name,
           sum(p.q)::int as quantity, round(sum(p.cost), 4)::text as cost, coalesce(sum(p.unpriced), 0)::int as unpriced
      from per_loc p
      join wards w on w.location_id = p.location_id
      join locations wl on wl.id = w.ward_id
      join items i on i.id = p.item_id
     group by 1, 2, 3, 4, 5, 6 having sum(p.q) <> 0
     order by wl.code, i.code`,
  );
  const wards = new Map<
    string,
    {
      ward: { id: string; code: string; name: string };
      quantity: number;
      cost: number;
      items: { id: string; code: string; name: string; quantity: number; cost: number; unpricedQuantity: number }[];
    }
  >();
  for (const r of rows) {
    const w = wards.get(r.ward_id) ?? {
      ward: { id: r.ward_id, code: r.ward_code, name: r.ward_name },
      quantity: 0,
      cost: 0,
      items: [],
    };
    const cost = Number(r.cost);
    w.items.push({
      id: r.item_id,
      code: r.item_code,
      name: r.item_name,
      quantity: r.quantity,
      cost,
      unpricedQuantity: r.unpriced,
    });
    w.quantity += r.quantity;
    w.cost = Math.round((w.cost + cost) * 10_000) / 10_000;
    wards.set(r.ward_id, w);
  }
  const data_ = [...wards.values()];
  return {
    from: data.from,
    to: data.to,
    location: root ? { id: root.id, code: root.code, name: root.name } : null,
    wards: data_,
    total: Math.round(data_.reduce((s, w) => s + w.cost, 0) * 10_000) / 10_000,
  };
}
