import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { parseInput } from '../core/validate.ts';
import { pgArray } from '../core/sql-arrays.ts';
import { executeRows } from '../core/sql-arrays.ts';

export const YearValuationInput = z.object({
  year: z.number().int().min(2000).max(2100),
  /** Restrict to these warehouses or pharmacies; every one of the organisation when omitted. */
  warehouseIds: z.array(z.uuid()).max(100).optional(),
});
export type YearValuationInput = z.input<typeof YearValuationInput>;

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * The year-end valuation of the ledger by warehouse: stock at the start of the year, the year's movements
 * in and out by kind, and stock at its end, all valued at the lots' purchase prices. One set-based pass
 * over the warehouses' movements (index range scans on `movements_from_ix` / `movements_to_ix`), summed
 * per (warehouse, lot, kind) before pricing: no per-row subquery, no NOT EXISTS — the shape that once
 * took 4.5 days (docs/domain.md, "A lesson on performance").
 */
export async function yearValuation({ ctx, input }: { ctx: Context; input: YearValuationInput }) {
  const data = parseInput(YearValuationInput, input);
  authorize(ctx.actor, 'reports.read');
  const org = ctx.actor.organisationId;
  const start = `${data.year}-01-01`;
  const end = `${data.year + 1}-01-01`;
  const only = data.warehouseIds ? sql`and id = any(${pgArray(data.warehouseIds, 'uuid')})` : sql``;
  const rows = await executeRows<{
    location_id: string;
    code: string;
    name: string;
    kind: string;
    opening_q: number;
    in_q: number;
    out_q: number;
    opening_v: string;
    in_v: string;
    out_v: string;
    unpriced: number;
  }>(
    ctx.db,
    sql`
    with wh as (
      select id from locations where organisation_id = ${org} and kind in ('warehouse', 'pharmacy') ${only}
    ), bounds as (
      select (${start}::date at time zone 'Europe/Rome') as y0, (${end}::date at time zone 'Europe/Rome') as y1
    ), sides as (
      select m.from_location_id as location_id, m.lot_id, m.kind, -m.quantity::bigint as q,
        m.occurred_at >= b.y0 as in_year
        from movements m, bounds b where m.from_location_id in (select id from wh) and m.occurred_at < b.y1
      union all
      select m.to_location_id, m.lot_id, m.kind, m.quantity::bigint, m.occurred_at >= b.y0
        from movements m, bounds b where m.to_location_id in (select id from wh) and m.occurred_at < b.y1
    ), per as (
      select location_id, lot_id, kind,
             coalesce(sum(q) filter (where not in_year), 0) as opening_q,
             coalesce(sum(q) filter (where in_year and q > 0), 0) as in_q,
             coalesce(-sum(q) filter (where in_year and q < 0), 0) as out_q
        from sides group by 1, 2, 3
    )
    select p.location_id, w.code, w.name, p.kind,
           sum(p.opening_q)::bigint as opening_q, sum(p.in_q)::bigint as in_q, sum(p.out_q)::bigint as out_q,
           round(sum(p.opening_q * coalesce(l.purchase_price, 0)), 4)::text as opening_v,
           round(sum(p.in_q * coalesce(l.purchase_price, 0)), 4)::text as in_v,
           round(sum(p.out_q * coalesce(l.purchase_price, 0)), 4)::text as out_v,
           coalesce(sum(p.in_q + p.out_q) filter (where l.purchase_price is null), 0)::bigint as unpriced
      from per p join lots l on l.id = p.lot_id join locations w on w.id = p.location_id
     group by 1, 2, 3, 4 order by w.code, p.kind`,
  );
  const byWarehouse = new Map<
    string,
    {
      warehouse: { id: string; code: string; name: string };
      opening: { quantity: number; value: number };
      byKind: { kind: string; in: { quantity: number; value: number }; out: { quantity: number; value: number } }[];
      closing: { quantity: number; value: number };
      unpricedQuantity: number;
    }
  >();
  for (const r of rows) {
    const w = byWarehouse.get(r.location_id) ?? {
      warehouse: { id: r.location_id, code: r.code, name: r.name },
      opening: { quantity: 0, value: 0 },
      byKind: [],
      closing: { quantity: 0, value: 0 },
      unpricedQuantity: 0,
    };
    const [oq, iq, xq] = [Number(r.opening_q), Number(r.in_q), Number(r.out_q)];
    const [ov, iv, xv] = [Number(r.opening_v), Number(r.in_v), Number(r.out_v)];
    w.opening = { quantity: w.opening.quantity + oq, value: round(w.opening.value + ov) };
    if (iq || xq) w.byKind.push({ kind: r.kind, in: { quantity: iq, value: iv }, out: { quantity: xq, value: xv } });
    w.closing = { quantity: w.closing.quantity + oq + iq - xq, value: round(w.closing.value + ov + iv - xv) };
    w.unpricedQuantity += Number(r.unpriced);
    byWarehouse.set(r.location_id, w);
  }
  const warehouses = [...byWarehouse.values()];
  return {
    year: data.year,
    warehouses,
    totals: {
      opening: round(warehouses.reduce((s, w) => s + w.opening.value, 0)),
      closing: round(warehouses.reduce((s, w) => s + w.closing.value, 0)),
    },
  };
}
