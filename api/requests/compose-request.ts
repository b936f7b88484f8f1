import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { itemCategories, items, reorderPolicies, suppliers } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { dailyConsumption, stockPosition } from '../replenishment/demand-history.ts';
import { computePolicy, daysOfCover, suggestQuantity } from '../replenishment/policy-math.ts';
import { usableStock } from './issue-lines.ts';
import { loadSections } from './sections.ts';

export const ComposeRequestInput = z.object({
  destinationId: z.uuid(),
  /** Items the ward is about to request; without them, the suggested list from its consumption history. */
  itemIds: z.array(z.uuid()).min(1).max(200).optional(),
  historyDays: z.number().int().min(7).max(365).default(56),
  serviceLevel: z.number().min(0.51).max(0.9999).default(0.95),
});
export type ComposeRequestInput = z.input<typeof ComposeRequestInput>;

/** Lead time of internal supply from a warehouse or pharmacy to a ward, in days. */
const internalLeadDays = 2;

/**
 * What a ward sees while composing a request: for each item, its stock and cover, the supplying
 * warehouse's available stock (or, for pass-through items, the supplier and usual lead time), and a
 * suggested quantity that brings it back to its reorder policy (stored, or computed from its own
 * consumption: R = L × W + B). Without items, the suggested list (scheda automatica): every item it
 * consumed whose projected stock is at or below R.
 */
export async function composeRequest({ ctx, input }: { ctx: Context; input: ComposeRequestInput }) {
  const data = parseInput(ComposeRequestInput, input);
  const destination = await loadLocation(ctx, data.destinationId);
  authorize(ctx.actor, 'requests.emit', destination);
  const history = await dailyConsumption(ctx, destination.id, data.historyDays, data.itemIds);
  const itemIds = data.itemIds ?? [...history.keys()];
  if (itemIds.length === 0)
    return { destination: { id: destination.id, code: destination.code, name: destination.name }, lines: [] };
  const rows = await ctx.db
    .select({
      item: items,
      sectionId: itemCategories.sectionId,
      supplier: { name: suppliers.name, leadTimeDays: suppliers.leadTimeDays },
    })
    .from(items)
    .innerJoin(itemCategories, eq(itemCategories.id, items.categoryId))
    .leftJoin(suppliers, eq(suppliers.id, items.supplierId))
    .where(and(eq(items.organisationId, ctx.actor.organisationId), inArray(items.id, itemIds)));
  const sections = await loadSections(
    ctx,
    rows.flatMap((r) => (r.sectionId ? [r.sectionId] : [])),
  );
  const policies = new Map(
    (
      await ctx.db
        .select()
        .from(reorderPolicies)
        .where(and(eq(reorderPolicies.locationId, destination.id), inArray(reorderPolicies.itemId, itemIds)))
    ).map((p) => [p.itemId, p]),
  );
  const position = await stockPosition(ctx, destination.id, itemIds);
  const supplyAvailable = new Map<string, number>();
  for (const section of sections.values()) {
    if (!section.from) continue;
    const ids = rows.filter((r) => r.sectionId === section.id && r.item.supplyMode === 'stock').map((r) => r.item.id);
    for (const [id, q] of await usableStock(ctx, section.from.id, ids)) supplyAvailable.set(id, q);
  }
  const lines = rows.map(({ item, sectionId, supplier }) => {
    const section = sectionId ? sections.get(sectionId) : undefined;
    const passThrough = item.supplyMode === 'pass_through';
    const leadTimeDays = passThrough ? (supplier?.leadTimeDays ?? 7) + internalLeadDays : internalLeadDays;
    const stored = policies.get(item.id);
    const policy =
      stored ??
      computePolicy({
        dailyConsumption: history.get(item.id) ?? [],
        leadTimeDays,
        serviceLevel: data.serviceLevel,
        packSize: item.packSize,
      });
    const { onHand, onOrder } = position.get(item.id)!;
    return {
      item: {
        id: item.id,
        code: item.code,
        name: item.name,
        nameEn: item.nameEn,
        unit: item.unit,
        packSize: item.packSize,
        supplyMode: item.supplyMode,
      },
      section: section ? { id: section.id, code: section.code, name: section.name } : null,
      supply: passThrough
        ? { kind: 'supplier' as const, supplier: supplier?.name ?? null, leadTimeDays: supplier?.leadTimeDays ?? null }
        : {
            kind: 'warehouse' as const,
            location: section?.from ? { id: section.from.id, code: section.from.code, name: section.from.name } : null,
            available: supplyAvailable.get(item.id) ?? 0,
          },
      onHand,
      onOrder,
      daysOfCover: daysOfCover(onHand, Number(policy.weeklyDemand)),
      policy: {
        source: stored ? ('stored' as const) : ('computed' as const),
        leadTimeDays: Number(policy.leadTimeDays),
        weeklyDemand: Number(policy.weeklyDemand),
        safetyStock: policy.safetyStock,
        reorderLevel: policy.reorderLevel,
        maxStock: policy.maxStock,
      },
      suggestedQuantity: suggestQuantity({ policy, onHand, onOrder, packSize: item.packSize }),
    };
  });
  const shown = data.itemIds ? lines : lines.filter((l) => l.suggestedQuantity > 0);
  return {
    destination: { id: destination.id, code: destination.code, name: destination.name },
    lines: shown.sort((a, b) => a.item.code.localeCompare(b.item.code)),
  };
}
