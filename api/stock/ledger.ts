import { sql, type SQL } from 'drizzle-orm';
import { movements, stockBalances, type MovementKind } from '../../db/schema/index.ts';
import { together, type Context } from '../core/context.ts';
import { insufficientStock } from '../core/errors.ts';
import { executeRows, pgArray } from '../core/sql-arrays.ts';

export interface MovementDraft {
  kind: MovementKind;
  itemId: string;
  lotId: string;
  quantity: number;
  fromLocationId: string | null;
  toLocationId: string | null;
  unitPrice?: string | null;
  documentType?: string | null;
  documentId?: string | null;
  reason?: string | null;
  reversesId?: number | null;
  idempotencyKey?: string | null;
  occurredAt?: Date;
  /**
   * Who moved it, when one write carries several actors' movements (a batch of device readings); else the context's
   * actor.
   */
  actorId?: string | null;
  /** Whose ledger, when one write carries several organisations' movements; else the context's actor's. */
  organisationId?: string;
}

export type Movement = typeof movements.$inferSelect;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Appends movements to the ledger and applies them to the balances, in the caller's transaction.
 * The only writer of `stock_balances`, set-based whatever the number of lines: the touched balances are
 * locked (created if missing) in a fixed order (location, lot) so concurrent writers queue instead of
 * deadlocking, checked under the lock (two takers of the last units get one success and one
 * `insufficient_stock`), then changed in one update. The `quantity >= 0` check constraint is the last
 * line of defence. A caller that has already locked every touched balance `FOR UPDATE` in this transaction
 * (in the same key order) passes what it read as `locked` (`location|lot` → quantity), and the locking read
 * is skipped; the check is the same.
 */
export async function postMovements(
  ctx: Context,
  drafts: MovementDraft[],
  options: { locked?: ReadonlyMap<string, number> } = {},
): Promise<Movement[]> {
  if (drafts.length === 0) return [];
  const deltas = new Map<string, { locationId: string; lotId: string; itemId: string; delta: number }>();
  const bump = (locationId: string | null, lotId: string, itemId: string, delta: number) => {
    if (!locationId) return;
    const key = `${locationId}|${lotId}`;
    const entry = deltas.get(key) ?? { locationId, lotId, itemId, delta: 0 };
    entry.delta += delta;
    deltas.set(key, entry);
  };
  for (const d of drafts) {
    bump(d.fromLocationId, d.lotId, d.itemId, -d.quantity);
    bump(d.toLocationId, d.lotId, d.itemId, d.quantity);
  }
  const ordered = [...deltas.values()]
    .filter((d) => d.delta !== 0)
    .sort((a, b) => compare(a.locationId, b.locationId) || compare(a.lotId, b.lotId));
  // Columns travel as arrays through unnest: one statement text and a few parameters for any number of rows.
  const [loc, lot, delta] = [
    pgArray(
      ordered.map((d) => d.locationId),
      'uuid',
    ),
    pgArray(
      ordered.map((d) => d.lotId),
      'uuid',
    ),
    pgArray(
      ordered.map((d) => d.delta),
      'int',
    ),
  ];
  if (ordered.length) {
    const held = options.locked;
    const current =
      held && ordered.every((d) => held.has(`${d.locationId}|${d.lotId}`))
        ? held
        : await lockBalances(ctx, ordered, loc, lot);
    for (const d of ordered) {
      const available = current.get(`${d.locationId}|${d.lotId}`) ?? 0;
      if (available + d.delta < 0)
        throw insufficientStock({
          lotId: d.lotId,
          itemId: d.itemId,
          locationId: d.locationId,
          requested: -d.delta,
          available,
        });
    }
  }
  const balances = ordered.length
    ? executeRows(
        ctx.db,
        sql`
        update ${stockBalances} set quantity = ${stockBalances}.quantity + d.delta, updated_at = now()
        from unnest(${loc}, ${lot}, ${delta}) as d(location_id, lot_id, delta)
        where ${stockBalances}.location_id = d.location_id and ${stockBalances}.lot_id = d.lot_id`,
      )
    : null;
  const column = <T>(pick: (d: MovementDraft) => T) => drafts.map(pick) as (string | number | Date | null)[];
  const occurredAt = drafts.map((d) => d.occurredAt ?? ctx.now());
  const actorIds = drafts.map((d) => (d.actorId === undefined ? ctx.actor.userId : d.actorId));
  const organisationIds = drafts.map((d) => d.organisationId ?? ctx.actor.organisationId);
  // One insert for any number of movements, the columns as arrays; ids come from the identity in the drafts' order.
  // Sent together with the balance update (pipelined on PostgreSQL): the check above has passed, and the two
  // commit or roll back together.
  const [, rows] = await together([
    balances,
    executeRows<Inserted>(
      ctx.db,
      sql`
    insert into ${movements} (organisation_id, kind, reverses_id, item_id, lot_id, quantity,
      from_location_id, to_location_id,
      unit_price, document_type, document_id, reason, actor_id, channel, idempotency_key, occurred_at)
    select m.organisation_id, m.kind, m.reverses_id, m.item_id, m.lot_id, m.quantity,
      m.from_location_id, m.to_location_id,
      m.unit_price, m.document_type, m.document_id, m.reason, m.actor_id, ${ctx.actor.channel}::text,
      m.idempotency_key, m.occurred_at
    from unnest(${sql.join(
      [
        pgArray(organisationIds, 'uuid'),
        pgArray(
          column((d) => d.kind),
          'text',
        ),
        pgArray(
          column((d) => d.reversesId ?? null),
          'bigint',
        ),
        pgArray(
          column((d) => d.itemId),
          'uuid',
        ),
        pgArray(
          column((d) => d.lotId),
          'uuid',
        ),
        pgArray(
          column((d) => d.quantity),
          'int',
        ),
        pgArray(
          column((d) => d.fromLocationId),
          'uuid',
        ),
        pgArray(
          column((d) => d.toLocationId),
          'uuid',
        ),
        pgArray(
          column((d) => d.unitPrice ?? null),
          'numeric',
        ),
        pgArray(
          column((d) => d.documentType ?? null),
          'text',
        ),
        pgArray(
          column((d) => d.documentId ?? null),
          'text',
        ),
        pgArray(
          column((d) => d.reason ?? null),
          'text',
        ),
        pgArray(actorIds, 'uuid'),
        pgArray(
          column((d) => d.idempotencyKey ?? null),
          'text',
        ),
        pgArray(occurredAt, 'timestamptz'),
      ],
      sql`, `,
    )}) with ordinality as m(organisation_id, kind, reverses_id, item_id, lot_id, quantity, from_location_id,
      to_location_id, unit_price, document_type, document_id, reason, actor_id, idempotency_key, occurred_at, n)
    order by m.n
    returning id, unit_price, recorded_at`,
    ),
  ]);
  return drafts.map((d, i) => ({
    id: Number(rows[i]!.id),
    organisationId: organisationIds[i]!,
    kind: d.kind,
    reversesId: d.reversesId ?? null,
    itemId: d.itemId,
    lotId: d.lotId,
    quantity: d.quantity,
    fromLocationId: d.fromLocationId,
    toLocationId: d.toLocationId,
    unitPrice: rows[i]!.unit_price === null ? null : String(rows[i]!.unit_price),
    documentType: d.documentType ?? null,
    documentId: d.documentId ?? null,
    reason: d.reason ?? null,
    actorId: actorIds[i]!,
    channel: ctx.actor.channel,
    idempotencyKey: d.idempotencyKey ?? null,
    occurredAt: occurredAt[i]!,
    recordedAt: new Date(rows[i]!.recorded_at),
  }));
}

/**
 * Locks every balance a write touches in one statement, in key order, creating the missing ones at zero, and
 * returns their quantities (`location|lot` → quantity): concurrent writers queue instead of deadlocking, and
 * what was read cannot change until commit. (Locking with a select and inserting the missing rows afterwards
 * breaks the order: a row a concurrent writer created after our snapshot is locked last, and two writers
 * deadlock on it.) Balance rows are never deleted, so when every one exists already (the usual case: stock
 * leaves rows it is on) a locking read in key order is enough; an upsert would write each row twice.
 */
async function lockBalances(
  ctx: Context,
  ordered: { locationId: string; lotId: string; itemId: string }[],
  loc: SQL,
  lot: SQL,
): Promise<Map<string, number>> {
  const [{ missing }] = (await executeRows<{ missing: number }>(
    ctx.db,
    sql`
    select count(*)::int - count(b.location_id)::int as missing
    from unnest(${loc}, ${lot}) as d(location_id, lot_id)
    left join ${stockBalances} b on b.location_id = d.location_id and b.lot_id = d.lot_id`,
  )) as [{ missing: number }];
  const item = pgArray(
    ordered.map((d) => d.itemId),
    'uuid',
  );
  const rows =
    Number(missing) === 0
      ? await ctx.db
          .select({
            locationId: stockBalances.locationId,
            lotId: stockBalances.lotId,
            quantity: stockBalances.quantity,
          })
          .from(stockBalances)
          .where(sql`(${stockBalances.locationId}, ${stockBalances.lotId}) in (select * from unnest(${loc}, ${lot}))`)
          .orderBy(stockBalances.locationId, stockBalances.lotId)
          .for('update')
      : await ctx.db
          .insert(stockBalances)
          .select(
            sql`select d.location_id, d.lot_id, d.item_id, 0, now()
              from unnest(${loc}, ${lot}, ${item}) with ordinality as d(location_id, lot_id, item_id, n) order by d.n`,
          )
          .onConflictDoUpdate({
            target: [stockBalances.locationId, stockBalances.lotId],
            set: { quantity: sql`${stockBalances.quantity}` },
          })
          .returning({
            locationId: stockBalances.locationId,
            lotId: stockBalances.lotId,
            quantity: stockBalances.quantity,
          });
  return new Map(rows.map((r) => [`${r.locationId}|${r.lotId}`, r.quantity]));
}

interface Inserted {
  id: string | number;
  unit_price: string | null;
  recorded_at: string | Date;
}
