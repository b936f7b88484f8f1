import { and, eq, inArray, sql } from 'drizzle-orm';
import { items, reorderPolicies, requestLines, suppliers, wardRequests } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import type { LocationRow } from '../locations/load-location.ts';
import { emitRequest } from '../requests/emit-request.ts';
import { outstanding } from '../requests/transitions.ts';
import { dailyConsumption, stockPosition } from './demand-history.ts';
import { computePolicy, needsReorder, suggestQuantity, urgencyFor } from './policy-math.ts';

/** Days from the supplying warehouse to a ward or cabinet, and by the home-delivery round to a patient's home. */
export const internalLeadDays = { ward: 2, home: 3 } as const;
const historyDays = 56;

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
 */
export async function checkUnderStock(ctx: Context, location: LocationRow, itemIds: string[], trigger: Record<string, unknown>): Promise<UnderStockOutcome[]> {
  if (itemIds.length === 0) return [];
  const ids = [...new Set(itemIds)].sort();
  for (const id of ids) await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`${location.id}|${id}`}))`);
  const history = await dailyConsumption(ctx, location.path, historyDays, ids);
  const position = await stockPosition(ctx, location.path, ids);
  const itemRows = await ctx.db
    .select({ id: items.id, packSize: items.packSize, supplyMode: items.supplyMode, supplierLead: suppliers.leadTimeDays })
    .from(items)
    .leftJoin(suppliers, eq(suppliers.id, items.supplierId))
    .where(inArray(items.id, ids));
  const open = await ctx.db
    .select({ request: wardRequests, line: requestLines })
    .from(wardRequests)
    .innerJoin(requestLines, eq(requestLines.requestId, wardRequests.id))
    .where(and(inArray(wardRequests.autoKey, ids.map((id) => `${location.id}|${id}`)), inArray(wardRequests.status, ['submitted', 'in_progress'])));
  const outcomes: UnderStockOutcome[] = [];
  for (const item of itemRows) {
    const base = location.kind === 'home' ? internalLeadDays.home : internalLeadDays.ward;
    const leadTimeDays = item.supplyMode === 'pass_through' ? base + (item.supplierLead ?? 7) : base;
    const policy = computePolicy({ dailyConsumption: history.get(item.id) ?? [], leadTimeDays, packSize: item.packSize });
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
    const urgency = urgencyFor({ onHand, onOrder: others, weeklyDemand: policy.weeklyDemand, leadTimeDays });
    const reason = { trigger, onHand, onOrder: others, R: policy.reorderLevel, L: leadTimeDays, W: policy.weeklyDemand, B: policy.safetyStock, maxStock: policy.maxStock };
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
    const request = await emitRequest({ ctx, input: { destinationId: location.id, urgency, lines: [{ itemId: item.id, quantity }], origin: JSON.stringify(reason) } });
    await ctx.db.update(wardRequests).set({ autoKey: `${location.id}|${item.id}` }).where(eq(wardRequests.id, request.id));
    outcomes.push({ itemId: item.id, action: 'emitted', requestId: request.id, number: request.number, urgency, quantity, reason });
  }
  return outcomes;
}
