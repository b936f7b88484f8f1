import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { items, reorderPolicies, requestLines, suppliers, supplyPlans, wardRequests, type LocationKind } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { localDate } from '../core/time.ts';
import { pgArray } from '../core/sql-arrays.ts';
import { FORECAST_WINDOW_DAYS, forecastItem, homePolicy, observedDays, type ItemForecast } from '../homecare/forecast-math.ts';
import type { LocationRow } from '../locations/load-location.ts';
import { emitRequest } from '../requests/emit-request.ts';
import { outstanding } from '../requests/transitions.ts';
import { dailyConsumption, stockPosition } from './demand-history.ts';
import { computePolicy, needsReorder, suggestQuantity, urgencyFor } from './policy-math.ts';
import { writeUnderStockNotice } from './under-stock-notice.ts';

/** Days from the supplying warehouse to a ward or cabinet, and by the home-delivery round to a patient's home. */
export const internalLeadDays = { ward: 2, home: 3 } as const;
const historyDays = 56;

/** Expected lead time L in days to a location of `kind`: the internal route, plus the supplier's for a pass-through item. */
export function leadTimeFor(kind: LocationKind, supplyMode: string, supplierLeadDays: number | null): number {
  const base = kind === 'home' ? internalLeadDays.home : internalLeadDays.ward;
  return supplyMode === 'pass_through' ? base + (supplierLeadDays ?? 7) : base;
}

export interface UnderStockOutcome {
  itemId: string;
  action: 'emitted' | 'updated' | 'unchanged' | 'none';
  requestId?: string;
  number?: string;
  urgency?: 'normal' | 'urgent' | 'emergency';
  quantity?: number;
  reason?: Record<string, unknown>;
}

/**
 * After a reading changed stock at a location, re-evaluates its reorder policy per item — computed from
 * the location's own consumption (R = L × W + B, B from the variability of demand at the service level),
 * stored with its inputs — and when projected stock is at or below R emits an under-stock request, or
 * updates the one already open: at most one open automatic request per location × item. The request says
 * why (the reading, on hand, on order, R, L, W, B); urgency comes from days of cover against lead time.
 * A home item under an active supply plan follows the home-care forecast instead (`homePolicy`): W from the
 * rate that drives its run-out date, reviewed over the delivery horizon, so the request exists before run-out.
 */
export async function checkUnderStock(ctx: Context, location: LocationRow, itemIds: string[], trigger: Record<string, unknown>): Promise<UnderStockOutcome[]> {
  if (itemIds.length === 0) return [];
  const ids = [...new Set(itemIds)].sort();
  // One statement, keys in sorted order: concurrent checks of overlapping items queue instead of deadlocking.
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext(k)) from unnest(${pgArray(ids.map((id) => `${location.id}|${id}`), 'text')}) with ordinality as t(k, n) order by n`);
  const history = await dailyConsumption(ctx, location.path, historyDays, ids);
  const position = await stockPosition(ctx, location.path, ids);
  const itemRows = await ctx.db
    .select({ id: items.id, code: items.code, name: items.name, unit: items.unit, packSize: items.packSize, supplyMode: items.supplyMode, supplierLead: suppliers.leadTimeDays })
    .from(items)
    .leftJoin(suppliers, eq(suppliers.id, items.supplierId))
    .where(inArray(items.id, ids));
  const open = await ctx.db
    .select({ request: wardRequests, line: requestLines })
    .from(wardRequests)
    .innerJoin(requestLines, eq(requestLines.requestId, wardRequests.id))
    .where(and(inArray(wardRequests.autoKey, ids.map((id) => `${location.id}|${id}`)), inArray(wardRequests.status, ['submitted', 'in_progress'])));
  const plans =
    location.kind === 'home'
      ? await ctx.db
          .select({ itemId: supplyPlans.itemId, dailyQuantity: supplyPlans.dailyQuantity, createdAt: supplyPlans.createdAt })
          .from(supplyPlans)
          .where(and(eq(supplyPlans.locationId, location.id), inArray(supplyPlans.itemId, ids), isNull(supplyPlans.endedAt)))
      : [];
  const today = localDate(ctx.now());
  const outcomes: UnderStockOutcome[] = [];
  for (const item of itemRows) {
    const leadTimeDays = leadTimeFor(location.kind, item.supplyMode, item.supplierLead);
    const daily = history.get(item.id) ?? new Array<number>(historyDays).fill(0);
    const plan = plans.find((p) => p.itemId === item.id);
    let forecast: ItemForecast | undefined;
    if (plan) {
      const observed = observedDays(localDate(plan.createdAt), today, FORECAST_WINDOW_DAYS);
      forecast = forecastItem({ daily, observedDays: observed, planDaily: Number(plan.dailyQuantity), available: position.get(item.id)!.onHand, today });
    }
    const policy = forecast ? homePolicy({ forecast, daily, leadTimeDays, packSize: item.packSize }) : computePolicy({ dailyConsumption: history.get(item.id) ?? [], leadTimeDays, packSize: item.packSize });
    const stored = {
      leadTimeDays: policy.leadTimeDays,
      weeklyDemand: policy.weeklyDemand,
      safetyStock: policy.safetyStock,
      reorderLevel: policy.reorderLevel,
      orderQuantity: policy.orderQuantity,
      maxStock: policy.maxStock,
      serviceLevel: policy.serviceLevel,
      computedAt: ctx.now(),
    };
    await ctx.db
      .insert(reorderPolicies)
      .values({ locationId: location.id, itemId: item.id, ...stored })
      .onConflictDoUpdate({ target: [reorderPolicies.locationId, reorderPolicies.itemId], set: stored });
    const existing = open.find((o) => o.line.itemId === item.id);
    const { onHand, onOrder } = position.get(item.id)!;
    const others = onOrder - (existing ? outstanding(existing.line) : 0);
    if (!needsReorder(policy, onHand, others)) {
      outcomes.push({ itemId: item.id, action: existing ? 'unchanged' : 'none', ...(existing ? { requestId: existing.request.id, number: existing.request.number } : {}) });
      continue;
    }
    const quantity = suggestQuantity({ policy, onHand, onOrder: others, packSize: item.packSize });
    if (quantity <= 0) {
      // R = 0 with nothing on hand and no demand known: nothing sensible to ask for.
      outcomes.push({ itemId: item.id, action: existing ? 'unchanged' : 'none', ...(existing ? { requestId: existing.request.id, number: existing.request.number } : {}) });
      continue;
    }
    const urgency = urgencyFor({ onHand, onOrder: others, weeklyDemand: policy.weeklyDemand, leadTimeDays });
    const reason = {
      trigger, onHand, onOrder: others, R: policy.reorderLevel, L: leadTimeDays, W: policy.weeklyDemand, B: policy.safetyStock, maxStock: policy.maxStock,
      ...(forecast ? { plan: forecast.planDaily, real: forecast.realDaily, rateSource: forecast.rateSource, runOutDate: forecast.runOutDate } : {}),
    };
    if (existing) {
      // Only a request nobody has touched yet follows the readings; once evaluated it is the section's.
      if (existing.line.status === 'routed' && (existing.line.quantityRequested !== quantity || existing.request.urgency !== urgency)) {
        await ctx.db.update(requestLines).set({ quantityRequested: quantity, updatedAt: sql`now()` }).where(eq(requestLines.id, existing.line.id));
        await ctx.db.update(wardRequests).set({ urgency, origin: JSON.stringify(reason), updatedAt: sql`now()` }).where(eq(wardRequests.id, existing.request.id));
        outcomes.push({ itemId: item.id, action: 'updated', requestId: existing.request.id, number: existing.request.number, urgency, quantity, reason });
      } else {
        outcomes.push({ itemId: item.id, action: 'unchanged', requestId: existing.request.id, number: existing.request.number });
      }
      continue;
    }
    const neededBy = forecast?.daysOfCover != null ? { neededBy: new Date(ctx.now().getTime() + forecast.daysOfCover * 86_400_000).toISOString() } : {};
    const request = await emitRequest({ ctx, input: { destinationId: location.id, urgency, lines: [{ itemId: item.id, quantity }], origin: JSON.stringify(reason), ...neededBy } });
    await ctx.db.update(wardRequests).set({ autoKey: `${location.id}|${item.id}` }).where(eq(wardRequests.id, request.id));
    await writeUnderStockNotice(ctx, location, { requestId: request.id, number: request.number, urgency, item: { code: item.code, name: item.name, unit: item.unit }, quantity });
    outcomes.push({ itemId: item.id, action: 'emitted', requestId: request.id, number: request.number, urgency, quantity, reason });
  }
  return outcomes;
}
