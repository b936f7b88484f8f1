import { and, eq, isNull, sql } from 'drizzle-orm';
import { items, supplyPlans } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { invalid, notFound } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { checkUnderStock, type UnderStockOutcome } from '../replenishment/under-stock.ts';
import { planView, selectPlans, type SupplyPlanView } from './plan-view.ts';
import { SetSupplyPlanInput } from './schemas.ts';

export interface SetSupplyPlanResult {
  plan: SupplyPlanView;
  /** The plan this one replaced (ended now), when the daily quantity changed. */
  replacedPlanId: string | null;
  /** The home-delivery check the new plan triggered: a request emitted or updated when the stock runs out too soon. */
  delivery: UnderStockOutcome;
}

/**
 * Sets a patient's supply plan for an item: creates it, or replaces the active one (ended now, a new one
 * begins — real use is then measured under the new plan). The same daily quantity again keeps the plan and
 * only updates its note. Then checks the home's stock against the plan, so a home delivery request appears at
 * once when the run-out date is already close. Audited; idempotent on its key.
 */
export async function setSupplyPlan({
  ctx,
  input,
}: {
  ctx: Context;
  input: unknown;
}): Promise<SetSupplyPlanResult & { replayed: boolean }> {
  const data = parseInput(SetSupplyPlanInput, input);
  return withTransaction(ctx, async (tx) => {
    const home = await loadLocation(tx, data.locationId);
    authorize(tx.actor, 'homecare.plan', home);
    if (home.kind !== 'home') throw invalid('locationId', 'not_a_home', { code: home.code });
    const [item] = await tx.db
      .select({ id: items.id, code: items.code })
      .from(items)
      .where(and(eq(items.id, data.itemId), eq(items.organisationId, tx.actor.organisationId)));
    if (!item) throw notFound('item', data.itemId);
    return onceForKey(tx, 'homecare.plan', data.idempotencyKey, data, async () => {
      // One writer per home × item: the partial unique index allows one active plan, this lock orders the replacers.
      await tx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`plan|${home.id}|${item.id}`}))`);
      const active = and(
        eq(supplyPlans.locationId, home.id),
        eq(supplyPlans.itemId, item.id),
        isNull(supplyPlans.endedAt),
      );
      const [current] = await tx.db.select().from(supplyPlans).where(active);
      const quantity = data.dailyQuantity.toFixed(3);
      let planId: string;
      let replacedPlanId: string | null = null;
      if (current && Number(current.dailyQuantity) === data.dailyQuantity) {
        planId = current.id;
        await tx.db
          .update(supplyPlans)
          .set({ note: data.note ?? null })
          .where(eq(supplyPlans.id, current.id));
      } else {
        if (current) {
          await tx.db.update(supplyPlans).set({ endedAt: tx.now() }).where(eq(supplyPlans.id, current.id));
          replacedPlanId = current.id;
        }
        const [created] = await tx.db
          .insert(supplyPlans)
          .values({
            organisationId: home.organisationId,
            locationId: home.id,
            itemId: item.id,
            dailyQuantity: quantity,
            note: data.note ?? null,
            createdBy: tx.actor.userId,
            createdAt: tx.now(),
          })
          .returning({ id: supplyPlans.id });
        planId = created!.id;
      }
      await audit(tx, {
        action: 'homecare.plan.set',
        entityType: 'supply_plan',
        entityId: planId,
        detail: {
          home: home.code,
          item: item.code,
          dailyQuantity: data.dailyQuantity,
          previous: current ? Number(current.dailyQuantity) : null,
        },
      });
      const [delivery] = await checkUnderStock(tx, home, [item.id], { kind: 'supply_plan', plan: planId });
      const [plan] = await selectPlans(tx, eq(supplyPlans.id, planId));
      return { plan: planView(plan!), replacedPlanId, delivery: delivery! };
    });
  });
}
