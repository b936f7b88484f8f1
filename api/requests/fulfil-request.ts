import { inArray } from 'drizzle-orm';
import { items } from '../../db/schema/index.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { DomainError, forbidden, notFound } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { createPurchaseOrders } from '../orders/create-purchase-orders.ts';
import { authorizeSections, loadSections, processes } from './sections.ts';
import { issueLines, usableStock } from './issue-lines.ts';
import { outstanding } from './line-status.ts';
import { loadRequest, type LineRow } from './load-request.ts';
import { proposePickingList } from './picking-lists.ts';
import { requestView } from './request-view.ts';
import { FulfilRequestInput } from './schemas.ts';

/** Lines ready for fulfilment: approved with something outstanding, or an emergency not yet evaluated. */
export function fulfillable(line: LineRow, emergency: boolean): boolean {
  if (outstanding(line) === 0) return false;
  return line.status === 'approved' || line.status === 'partially_issued' || (emergency && line.status === 'routed');
}

/**
 * Fulfils (evade) a request's lines by item type: stock items leave the section's warehouse at once,
 * FEFO, on an issue note (partially when stock is short: the rest stays outstanding as a back-order);
 * pharmacy lines become a picking list proposal to confirm; pass-through items become purchase orders
 * grouped by supplier. The request is locked, so two operators cannot fulfil the same line twice.
 */
export async function fulfilRequest({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(FulfilRequestInput, input);
  return withTransaction(ctx, async (tx) => {
    const request = await loadRequest(tx, data.requestId, { lock: true });
    const emergency = request.urgency === 'emergency';
    for (const id of data.lineIds ?? [])
      if (!request.lines.some((l) => l.id === id)) throw notFound('request line', id);
    // Named lines must all be the actor's to process; otherwise, every line of the sections it processes.
    const named = request.lines.filter((l) => data.lineIds?.includes(l.id));
    const sections = data.lineIds
      ? await authorizeSections(
          tx,
          named.map((l) => l.sectionId),
        )
      : await loadSections(
          tx,
          request.lines.map((l) => l.sectionId),
        );
    if (!data.lineIds) for (const [id, s] of sections) if (!processes(tx, s)) sections.delete(id);
    if (sections.size === 0) throw forbidden('requests.process');
    return onceForKey(tx, 'requests.fulfil', data.idempotencyKey, data, async () => {
      const candidates = request.lines.filter(
        (l) => (data.lineIds ? data.lineIds.includes(l.id) : sections.has(l.sectionId)) && fulfillable(l, emergency),
      );
      if (candidates.length === 0)
        throw new DomainError('conflict', 'nothing_to_fulfil', { context: { requestId: request.id } });
      const modes = new Map(
        (
          await tx.db
            .select({ id: items.id, supplyMode: items.supplyMode })
            .from(items)
            .where(
              inArray(
                items.id,
                candidates.map((l) => l.itemId),
              ),
            )
        ).map((r) => [r.id, r.supplyMode]),
      );
      const result = {
        issueNotes: [] as string[],
        pickingLists: [] as string[],
        purchaseOrders: [] as string[],
        backOrdered: [] as string[],
      };
      const issued: number[] = [];

      const passThrough = candidates.filter((l) => modes.get(l.itemId) === 'pass_through');
      if (passThrough.length)
        result.purchaseOrders.push(...(await createPurchaseOrders(tx, request, passThrough, sections)));

      const byOrigin = new Map<string, LineRow[]>();
      for (const l of candidates.filter((l) => modes.get(l.itemId) === 'stock')) {
        const from = sections.get(l.sectionId)!.from;
        if (!from)
          throw new DomainError('precondition_failed', 'nothing_to_fulfil', {
            context: { sectionId: l.sectionId, reason: 'section has no location to fulfil from' },
          });
        byOrigin.set(from.id, [...(byOrigin.get(from.id) ?? []), l]);
      }
      for (const [fromId, lines] of byOrigin) {
        const from = [...sections.values()].find((s) => s.from?.id === fromId)!.from!;
        if (from.kind === 'pharmacy') {
          result.pickingLists.push(...(await proposePickingList(tx, request, from.id, lines)));
          continue;
        }
        const usable = await usableStock(
          tx,
          from.id,
          lines.map((l) => l.itemId),
        );
        const picks = lines.flatMap((l) => {
          const quantity = Math.min(outstanding(l), usable.get(l.itemId) ?? 0);
          if (quantity < outstanding(l)) result.backOrdered.push(l.id);
          return quantity > 0 ? [{ line: l, quantity }] : [];
        });
        if (picks.length) {
          const note = await issueLines(tx, request, from.id, picks);
          result.issueNotes.push(note.id);
          issued.push(...note.movementIds);
        }
      }
      await audit(tx, {
        action: 'requests.fulfil',
        entityType: 'request',
        entityId: request.id,
        detail: { ...result, movementIds: issued },
      });
      return { ...result, request: await requestView(tx, request.id) };
    });
  });
}
