import { sql } from 'drizzle-orm';
import type { LocationKind } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { executeRows } from '../core/sql-arrays.ts';
import { isoText } from './sql-rows.ts';

/** What one location did with a lot, summed from the ledger (reversals counted against what they reverse). */
export interface HolderSummary {
  location: { id: string; organisationId: string; code: string; name: string; kind: LocationKind; path: string };
  /** Units that came in (receipts, issues, transfers, returns, surplus adjustments, reversals in). */
  received: number;
  /** Units that went out (to another location or out of Scorta). */
  sent: number;
  /** Used here (patients), net of reversed consumption. */
  consumed: number;
  /** Sold from here to another organisation, net of reversed sales. */
  sold: number;
  /** Net inventory adjustments (surplus positive, shortage negative). */
  adjusted: number;
  /** Sent back from here towards a store. */
  returned: number;
  onHand: number;
  firstAt: string;
  lastAt: string;
  /** Split at a ledger mark (a recall's): on hand and consumed up to it, consumed and returned after it. */
  atMark: {
    onHand: number;
    consumed: number;
    sold: number;
    consumedSince: number;
    returnedSince: number;
    movedInSince: number;
  };
}

/**
 * A lot's movements summed per location it ever reached, in one set-based statement over the lot's ledger
 * (the `movements_lot_ix` index): each movement counts once out of its source and once into its destination.
 * `mark` splits the sums at a movement id (a recall's `ledgerMark`); without it every movement is before.
 */
export async function lotHolders(
  ctx: Pick<Context, 'db'>,
  lotId: string,
  mark: number = Number.MAX_SAFE_INTEGER,
): Promise<HolderSummary[]> {
  type Counts = 'received' | 'sent' | 'consumed' | 'sold' | 'adjusted' | 'returned' | 'on_hand' | 'mark_on_hand';
  type SinceCounts = 'mark_consumed' | 'mark_sold' | 'consumed_since' | 'returned_since' | 'moved_in_since';
  type Row = Record<Counts | SinceCounts, number> & {
    location_id: string;
    first_iso: string;
    last_iso: string;
    organisation_id: string;
    code: string;
    name: string;
    kind: LocationKind;
    path: string;
  };
  const rows = await executeRows<Row>(
    ctx.db,
    sql`
    with m as (
      select m.id, m.kind, coalesce(r.kind, m.kind) as what, m.quantity, m.from_location_id, m.to_location_id,
        m.occurred_at
        from movements m left join movements r on r.id = m.reverses_id
       where m.lot_id = ${lotId}
    ), sides as (
      select from_location_id as location_id, -quantity as delta, kind, what, id, occurred_at
        from m where from_location_id is not null
      union all
      select to_location_id, quantity, kind, what, id, occurred_at from m where to_location_id is not null
    ), sums as (
      select location_id,
        coalesce(sum(delta) filter (where delta > 0), 0)::int as received,
        coalesce(-sum(delta) filter (where delta < 0), 0)::int as sent,
        coalesce(-sum(delta) filter (where what = 'consumption'), 0)::int as consumed,
        coalesce(-sum(delta) filter (where what = 'sale'), 0)::int as sold,
        coalesce(sum(delta) filter (where what = 'adjustment'), 0)::int as adjusted,
        coalesce(-sum(delta) filter (where kind = 'return' and delta < 0), 0)::int as returned,
        coalesce(sum(delta), 0)::int as on_hand,
        coalesce(sum(delta) filter (where id <= ${mark}), 0)::int as mark_on_hand,
        coalesce(-sum(delta) filter (where id <= ${mark} and what = 'consumption'), 0)::int as mark_consumed,
        coalesce(-sum(delta) filter (where id <= ${mark} and what = 'sale'), 0)::int as mark_sold,
        coalesce(-sum(delta) filter (where id > ${mark} and what = 'consumption'), 0)::int as consumed_since,
        coalesce(-sum(delta) filter (where id > ${mark} and kind = 'return' and delta < 0), 0)::int as returned_since,
        coalesce(sum(delta) filter (where id > ${mark} and delta > 0 and kind <> 'return'), 0)::int as moved_in_since,
        min(occurred_at) as first_at, max(occurred_at) as last_at, min(id) as first_id
        from sides group by location_id
    )
    select s.*, ${sql.raw(isoText('s.first_at'))} as first_iso, ${sql.raw(isoText('s.last_at'))} as last_iso,
           l.organisation_id, l.code, l.name, l.kind, l.path
      from sums s join locations l on l.id = s.location_id
     order by s.first_id`,
  );
  return rows.map((r) => ({
    location: {
      id: r.location_id,
      organisationId: r.organisation_id,
      code: r.code,
      name: r.name,
      kind: r.kind,
      path: r.path,
    },
    received: r.received,
    sent: r.sent,
    consumed: r.consumed,
    sold: r.sold,
    adjusted: r.adjusted,
    returned: r.returned,
    onHand: r.on_hand,
    firstAt: r.first_iso,
    lastAt: r.last_iso,
    atMark: {
      onHand: r.mark_on_hand,
      consumed: r.mark_consumed,
      sold: r.mark_sold,
      consumedSince: r.consumed_since,
      returnedSince: r.returned_since,
      movedInSince: r.moved_in_since,
    },
  }));
}

/** Where a lot entered the organisation: the store of its first receipt (recalled stock goes back there). */
export async function receivingStore(ctx: Pick<Context, 'db'>, lotId: string): Promise<string | null> {
  const [row] = await executeRows<{ location_id: string }>(
    ctx.db,
    sql`
    select to_location_id as location_id
    from movements where lot_id = ${lotId} and kind = 'receipt' order by id limit 1`,
  );
  return row?.location_id ?? null;
}

/** The last movement id of a lot (0 when it has none): a recall's mark in the ledger. */
export async function lastMovementOf(ctx: Pick<Context, 'db'>, lotId: string): Promise<number> {
  const [row] = await executeRows<{ id: string | number | null }>(
    ctx.db,
    sql`select max(id) as id from movements where lot_id = ${lotId}`,
  );
  return Number(row?.id ?? 0);
}
