import { inArray } from 'drizzle-orm';
import { items, purchaseOrderLines, purchaseOrders, suppliers } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { nextDocumentNumber } from '../core/numbering.ts';
import { moveLine, outstanding, syncRequestStatus } from '../requests/line-status.ts';
import type { LineRow, RequestRow } from '../requests/load-request.ts';
import type { SectionRow } from '../requests/sections.ts';

/**
 * Purchase orders for pass-through request lines, one per supplier × delivery warehouse, planned (PL),
 * expected after the supplier's lead time; the lines become `ordered`. Returns the order ids.
 */
export async function createPurchaseOrders(
  ctx: Context,
  request: RequestRow & { lines: LineRow[] },
  lines: LineRow[],
  sections: Map<string, SectionRow>,
): Promise<string[]> {
  const itemRows = await ctx.db
    .select({ id: items.id, code: items.code, supplierId: items.supplierId })
    .from(items)
    .where(
      inArray(
        items.id,
        lines.map((l) => l.itemId),
      ),
    );
  const byItem = new Map(itemRows.map((i) => [i.id, i]));
  const missing = lines.find((l) => !byItem.get(l.itemId)?.supplierId);
  if (missing)
    throw new DomainError('precondition_failed', 'no_supplier', {
      params: { item: byItem.get(missing.itemId)!.code },
      context: { itemId: missing.itemId },
    });
  const supplierRows = await ctx.db
    .select()
    .from(suppliers)
    .where(
      inArray(
        suppliers.id,
        itemRows.map((i) => i.supplierId!),
      ),
    );
  const groups = new Map<string, { supplierId: string; deliverToId: string; lines: LineRow[] }>();
  for (const line of lines) {
    const supplierId = byItem.get(line.itemId)!.supplierId!;
    const deliverToId = sections.get(line.sectionId)?.from?.id ?? request.destinationId;
    const key = `${supplierId}|${deliverToId}`;
    groups.set(key, { supplierId, deliverToId, lines: [...(groups.get(key)?.lines ?? []), line] });
  }
  const ids: string[] = [];
  for (const group of [...groups.values()].sort((a, b) => a.supplierId.localeCompare(b.supplierId))) {
    const leadDays = supplierRows.find((s) => s.id === group.supplierId)?.leadTimeDays ?? 7;
    const [order] = await ctx.db
      .insert(purchaseOrders)
      .values({
        organisationId: ctx.actor.organisationId,
        number: await nextDocumentNumber(ctx, 'purchase_order'),
        supplierId: group.supplierId,
        deliverToId: group.deliverToId,
        expectedAt: new Date(ctx.now().getTime() + leadDays * 86_400_000),
        createdBy: ctx.actor.userId,
      })
      .returning({ id: purchaseOrders.id });
    await ctx.db.insert(purchaseOrderLines).values(
      group.lines.map((l) => ({
        purchaseOrderId: order!.id,
        requestLineId: l.id,
        itemId: l.itemId,
        quantity: outstanding(l),
        unitPrice: l.unitPrice,
      })),
    );
    for (const line of group.lines)
      request.lines[request.lines.indexOf(line)] = await moveLine(ctx, request, line, 'order', 'ordered');
    ids.push(order!.id);
  }
  Object.assign(request, await syncRequestStatus(ctx, request, request.lines));
  return ids;
}
