import type { Actor, Context } from '../core/context.ts';
import { authorize } from '../auth/permissions.ts';
import { auditMany, movementIds } from '../core/audit.ts';
import { loadItems } from '../catalogue/load-item.ts';
import { withTransaction } from '../core/context.ts';
import type { DomainError } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation, type LocationRow } from '../locations/load-location.ts';
import { moveStockMany, type PostedMove } from './move-stock.ts';
import { toMovementView, type MovementsResult } from './movement-view.ts';
import { RecordConsumptionInput, type MoveLine } from './schemas.ts';

/**
 * Records stock used at a location (a ward, a cabinet, a patient's home): it leaves the ledger. FEFO when no lot is
 * named.
 */
export async function recordConsumption({
  ctx,
  input,
}: {
  ctx: Context;
  input: unknown;
}): Promise<MovementsResult & { replayed: boolean }> {
  const data = parseInput(RecordConsumptionInput, input);
  return withTransaction(ctx, async (tx) => {
    const location = await loadLocation(tx, data.locationId);
    authorize(tx.actor, 'stock.consume', location);
    return onceForKey(tx, 'stock.consume', data.idempotencyKey, data, async () => {
      await loadItems(
        tx,
        data.lines.map((l) => l.itemId),
      ); // unknown or another organisation's item: not found
      const [outcome] = await consumeStockMany(tx, [
        {
          actor: tx.actor,
          location,
          lines: data.lines,
          reason: data.reason,
          documentType: data.documentType,
          documentId: data.documentId,
          occurredAt: data.occurredAt,
          idempotencyKey: data.idempotencyKey,
        },
      ]);
      if (!outcome!.ok) throw outcome!.error;
      return { movements: outcome!.posted.map(toMovementView) };
    });
  });
}

/** One consumption in a call of many: who consumes, where, what, and what its audit row adds. */
export interface Consumption {
  actor: Actor;
  location: LocationRow;
  lines: MoveLine[];
  reason?: string | undefined;
  documentType?: string | undefined;
  documentId?: string | undefined;
  occurredAt?: string | undefined;
  idempotencyKey?: string | undefined;
  detail?: Record<string, unknown>;
}

/**
 * Many consumptions, each by its own actor at its own location, with the outcome each would have alone:
 * authorised (`stock.consume` there), taken FEFO over usable lots under moveStockMany's locks, posted in one
 * ledger write and audited in one statement (one row per consumption). A refused one (forbidden, too little
 * stock, an unusable lot) is refused alone. In the caller's transaction. Also the usable stock left per
 * `location|item`, for the reorder check.
 */
export async function consumeStockMany(ctx: Context, consumptions: Consumption[]) {
  const refused = new Map<number, DomainError>();
  const allowed: number[] = [];
  for (const [i, c] of consumptions.entries()) {
    try {
      authorize(c.actor, 'stock.consume', c.location);
      allowed.push(i);
    } catch (error) {
      refused.set(i, error as DomainError);
    }
  }
  const { outcomes, usableLeft } = await moveStockMany(
    ctx,
    allowed.map((i) => {
      const c = consumptions[i]!;
      return {
        kind: 'consumption' as const,
        fromLocationId: c.location.id,
        toLocationId: null,
        lines: c.lines,
        requireUsable: true,
        reason: c.reason,
        documentType: c.documentType,
        documentId: c.documentId,
        occurredAt: c.occurredAt,
        idempotencyKey: c.idempotencyKey,
        actorId: c.actor.userId,
        organisationId: c.location.organisationId,
      };
    }),
  );
  const results: ({ ok: true; posted: PostedMove[] } | { ok: false; error: DomainError })[] = consumptions.map(
    (_, i) => ({ ok: false, error: refused.get(i)! }),
  );
  for (const [k, i] of allowed.entries()) results[i] = outcomes[k]!;
  // The audit of consumption, for every channel: one row per consumption, naming its location and what the caller adds.
  await auditMany(
    ctx,
    results.flatMap((r, i) => {
      if (!r.ok || r.posted.length === 0) return [];
      const c = consumptions[i]!;
      return [
        {
          actorId: c.actor.userId,
          organisationId: c.location.organisationId,
          action: 'stock.consume',
          entityType: 'movement',
          entityId: String(r.posted[0]!.id),
          detail: { ...movementIds(r.posted), location: c.location.id, ...c.detail },
        },
      ];
    }),
  );
  return Object.assign(results, { usableLeft });
}
