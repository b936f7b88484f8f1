import { and, eq, isNull } from 'drizzle-orm';
import { locations, supplyPlans } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { checkUnderStockMany, type UnderStockOutcome } from '../replenishment/under-stock.ts';

/**
 * Time moves run-out dates closer even when nothing is recorded (a patient without a connected device), so
 * the sweeper re-checks every home under an active supply plan: the same check a device reading runs
 * (`checkUnderStockMany`), hence at most one open automatic delivery request per home × item, emitted or
 * updated before run-out. A transaction per hundred homes keeps locks short and statements few. Returns the
 * requests emitted or updated.
 */
const homesPerTransaction = 100;

export async function sweepHomeDeliveries({
  ctx,
}: {
  ctx: Context;
}): Promise<{ homes: number; requests: (UnderStockOutcome & { locationId: string })[] }> {
  authorize(ctx.actor, 'locations.write');
  const plans = await ctx.db
    .select({ itemId: supplyPlans.itemId, home: locations })
    .from(supplyPlans)
    .innerJoin(locations, eq(locations.id, supplyPlans.locationId))
    .where(and(eq(supplyPlans.organisationId, ctx.actor.organisationId), isNull(supplyPlans.endedAt)));
  const homes = new Map<string, { home: (typeof plans)[number]['home']; itemIds: string[] }>();
  for (const p of plans)
    homes.set(p.home.id, { home: p.home, itemIds: [...(homes.get(p.home.id)?.itemIds ?? []), p.itemId] });
  const requests: (UnderStockOutcome & { locationId: string })[] = [];
  const all = [...homes.values()];
  for (let start = 0; start < all.length; start += homesPerTransaction) {
    const chunk = all.slice(start, start + homesPerTransaction);
    const outcomes = await withTransaction(ctx, (tx) =>
      checkUnderStockMany(
        tx,
        chunk.map(({ home, itemIds }) => ({ location: home, itemIds, trigger: { kind: 'forecast_sweep' } })),
      ),
    );
    chunk.forEach(({ home }, i) => {
      for (const o of outcomes[i]!)
        if (o.action === 'emitted' || o.action === 'updated') requests.push({ ...o, locationId: home.id });
    });
  }
  return { homes: homes.size, requests };
}
