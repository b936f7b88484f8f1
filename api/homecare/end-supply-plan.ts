import { and, eq, isNull } from 'drizzle-orm';
import { items, supplyPlans } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { planView, selectPlans, type SupplyPlanView } from './plan-view.ts';
import { EndSupplyPlanInput } from './schemas.ts';

/**
 * Ends the active supply plan of a home × item (the patient no longer needs it): it stays in the history,
 * the forecast falls back to real use. Open delivery requests are left to the section. Audited; a home ×
 * item without an active plan is `not_found`.
 */
export async function endSupplyPlan({
  ctx,
  input,
}: {
  ctx: Context;
  input: unknown;
}): Promise<{ plan: SupplyPlanView; replayed: boolean }> {
  const data = parseInput(EndSupplyPlanInput, input);
  return withTransaction(ctx, async (tx) => {
    const home = await loadLocation(tx, data.locationId);
    authorize(tx.actor, 'homecare.plan', home);
    return onceForKey(tx, 'homecare.plan.end', data.idempotencyKey, data, async () => {
      const [ended] = await tx.db
        .update(supplyPlans)
        .set({ endedAt: tx.now() })
        .where(
          and(eq(supplyPlans.locationId, home.id), eq(supplyPlans.itemId, data.itemId), isNull(supplyPlans.endedAt)),
        )
        .returning({ id: supplyPlans.id, dailyQuantity: supplyPlans.dailyQuantity });
      if (!ended) throw notFound('supply plan', `${home.code}/${data.itemId}`);
      const [item] = await tx.db.select({ code: items.code }).from(items).where(eq(items.id, data.itemId));
      await audit(tx, {
        action: 'homecare.plan.end',
        entityType: 'supply_plan',
        entityId: ended.id,
        detail: { home: home.code, item: item?.code, dailyQuantity: Number(ended.dailyQuantity) },
      });
      const [plan] = await selectPlans(tx, eq(supplyPlans.id, ended.id));
      return { plan: planView(plan!) };
    });
  });
}
