import { and, asc, eq } from 'drizzle-orm';
import { locations, requestLines, wardRequests } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { nextDocumentNumber } from '../core/numbering.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { requestView, routeItems, type RequestView } from './request-view.ts';
import { EmitRequestInput } from './schemas.ts';

/**
 * Emits a ward request. A ward's request goes to its ward store. On save every line is routed to the
 * procurement section competent for its item's category; the ward sees one request, the sections their
 * own lines. Valued at the contract price where a contract is in force, else at the reference price.
 */
export async function emitRequest({ ctx, input }: { ctx: Context; input: unknown }): Promise<RequestView & { replayed: boolean }> {
  const data = parseInput(EmitRequestInput, input);
  return withTransaction(ctx, async (tx) => {
    let destination = await loadLocation(tx, data.destinationId);
    if (destination.kind === 'ward') {
      const [store] = await tx.db.select().from(locations).where(and(eq(locations.parentId, destination.id), eq(locations.kind, 'ward_store'))).orderBy(asc(locations.code)).limit(1);
      if (store) destination = store;
    }
    authorize(tx.actor, 'requests.emit', destination);
    return onceForKey(tx, 'requests.emit', data.idempotencyKey, data, async () => {
      const routes = await routeItems(tx, data.lines.map((l) => l.itemId));
      const fields = data.lines.flatMap((l, i) => {
        const route = routes.get(l.itemId);
        if (!route) return [{ field: `lines.${i}.itemId`, message: `Item ${l.itemId} does not exist.` }];
        if (!route.sectionId) return [{ field: `lines.${i}.itemId`, message: `No procurement section is competent for item ${route.code}.` }];
        return [];
      });
      if (fields.length) {
        const missing = data.lines.find((l) => !routes.has(l.itemId));
        if (missing) throw notFound('item', missing.itemId);
        throw new DomainError('validation', 'no_section', { params: { item: routes.get(data.lines.find((l) => !routes.get(l.itemId)?.sectionId)!.itemId)!.code }, fields });
      }
      const number = await nextDocumentNumber(tx, 'request');
      const [request] = await tx.db
        .insert(wardRequests)
        .values({
          organisationId: tx.actor.organisationId,
          number,
          destinationId: destination.id,
          urgency: data.urgency,
          neededBy: data.neededBy ? new Date(data.neededBy) : null,
          note: data.note ?? null,
          origin: data.origin ?? 'manual',
          createdBy: tx.actor.userId,
          channel: tx.actor.channel,
        })
        .returning({ id: wardRequests.id });
      await tx.db.insert(requestLines).values(
        data.lines.map((l, i) => ({ requestId: request!.id, lineNo: i + 1, itemId: l.itemId, sectionId: routes.get(l.itemId)!.sectionId!, quantityRequested: l.quantity, unitPrice: routes.get(l.itemId)!.unitPrice })),
      );
      await audit(tx, { action: 'requests.emit', entityType: 'request', entityId: request!.id, detail: { number, urgency: data.urgency, lines: data.lines.length } });
      return requestView(tx, request!.id);
    });
  });
}
