import { and, eq, lt } from 'drizzle-orm';
import { lots } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { localDate } from '../core/time.ts';
import { lotStatusAfter } from './recall-transitions.ts';

/**
 * The daily expiry sweep: every available lot of the organisation past its expiry becomes `expired` (the
 * status table's `expire` event, as one conditional update). Stock actions already refuse a lot past its
 * expiry on the day (lot-rules.ts); the stored status makes lists and reports say so too. Audited once.
 */
export async function sweepExpiredLots({ ctx }: { ctx: Context }) {
  authorize(ctx.actor, 'lots.status');
  const today = localDate(ctx.now());
  return withTransaction(ctx, async (tx) => {
    const expired = await tx.db
      .update(lots)
      .set({ status: lotStatusAfter('available', 'expire')!, statusReason: `expired ${today}` })
      .where(
        and(eq(lots.organisationId, tx.actor.organisationId), eq(lots.status, 'available'), lt(lots.expiry, today)),
      )
      .returning({ id: lots.id, lotCode: lots.lotCode, expiry: lots.expiry });
    if (expired.length)
      await audit(tx, {
        action: 'lots.expire',
        entityType: 'lot',
        entityId: expired[0]!.id,
        detail: { count: expired.length, lots: expired.map((l) => l.id).slice(0, 1000), today },
      });
    return { today, expired };
  });
}
