import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { rangeInOrder } from '../core/ranges.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { executeRows } from '../core/sql-arrays.ts';
import type { LotStatus } from '../../db/schema/index.ts';

export const LotsUsedInput = z
  .object({
    /** A ward, a cabinet, a patient's home: it and everything below it. */
    locationId: z.uuid(),
    /** Period as ISO timestamps, from inclusive, to exclusive. */
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  })
  .superRefine(rangeInOrder('from', 'to'));
export type LotsUsedInput = z.input<typeof LotsUsedInput>;

/**
 * The backward trace: which lots were used (consumed, net of reversed consumption) at a location and below
 * it over a period, with the quantity, where, the first and last use, and each lot's status now — what a
 * recall notice or a device fault report needs ("did this ward use lot X?"). Read from the ledger.
 */
export async function lotsUsed({ ctx, input }: { ctx: Context; input: LotsUsedInput }) {
  const data = parseInput(LotsUsedInput, input);
  const root = await loadLocation(ctx, data.locationId);
  authorize(ctx.actor, 'lots.read', root);
  type Row = Record<'lot_id' | 'lot_code' | 'expiry' | 'item_id' | 'item_code' | 'item_name', string> &
    Record<'location_id' | 'location_code' | 'location_name' | 'first_used' | 'last_used', string> & {
      status: LotStatus;
      quantity: number;
    };
  const rows = await executeRows<Row>(
    ctx.db,
    sql`
    with places as (select id from locations where organisation_id = ${ctx.actor.organisationId}
      and path like ${`${root.path}%`}),
    used as (
      select m.lot_id, m.from_location_id as location_id, m.quantity::bigint as q, m.occurred_at from movements m
       where m.kind = 'consumption' and m.from_location_id in (select id from places)
         and m.occurred_at >= ${data.from}::timestamptz and m.occurred_at < ${data.to}::timestamptz
      union all
      select m.lot_id, m.to_location_id, -m.quantity::bigint, r.occurred_at
        from movements m join movements r on r.id = m.reverses_id and r.kind = 'consumption'
       where m.kind = 'reversal' and m.to_location_id in (select id from places)
         and r.occurred_at >= ${data.from}::timestamptz and r.occurred_at < ${data.to}::timestamptz
    )
    select u.lot_id, l.lot_code, l.expiry::text as expiry, l.status, i.id as item_id, i.code as item_code,
           i.name as item_name,
           loc.id as location_id, loc.code as location_code, loc.name as location_name, sum(u.q)::int as quantity,
           to_char(min(u.occurred_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as first_used,
           to_char(max(u.occurred_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_used
      from used u
      join lots l on l.id = u.lot_id join items i on i.id = l.item_id join locations loc on loc.id = u.location_id
     group by u.lot_id, l.lot_code, l.expiry, l.status, i.id, i.code, i.name, loc.id, loc.code, loc.name
    having sum(u.q) > 0
     order by i.code, l.lot_code, loc.code`,
  );
  return {
    location: { id: root.id, code: root.code, name: root.name },
    from: data.from,
    to: data.to,
    data: rows.map((r) => ({
      lot: { id: r.lot_id, lotCode: r.lot_code, expiry: r.expiry, status: r.status },
      item: { id: r.item_id, code: r.item_code, name: r.item_name },
      location: { id: r.location_id, code: r.location_code, name: r.location_name },
      quantity: r.quantity,
      firstUsedAt: r.first_used,
      lastUsedAt: r.last_used,
    })),
  };
}
