import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { items, purchaseOrderLines, purchaseOrders, requestLines, suppliers } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { assertTransition } from '../core/state-machine.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { issueLines } from '../requests/issue-lines.ts';
import { fulfilmentStatus, moveLine, syncRequestStatus } from '../requests/line-status.ts';
import { loadRequest } from '../requests/load-request.ts';
import { purchaseOrderTransitions, type PurchaseOrderEvent } from '../requests/transitions.ts';
import { receiveGoods } from '../stock/receive-goods.ts';
import { AdvancePurchaseOrderInput, ReceivePurchaseOrderInput } from './schemas.ts';
import { iso } from '../core/time.ts';

const targets: Record<PurchaseOrderEvent, string> = {
  firm: 'FP',
  ready: 'RR',
  release: 'OP',
  overdue: 'OD',
  reschedule: 'OP',
  close: 'CL',
  cancel: 'cancelled',
};

/** A purchase order with its supplier and lines, as channels show it. */
export async function purchaseOrderView(ctx: Context, id: string) {
  const [row] = await ctx.db
    .select({ o: purchaseOrders, supplier: { code: suppliers.code, name: suppliers.name } })
    .from(purchaseOrders)
    .innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId))
    .where(and(eq(purchaseOrders.id, id), eq(purchaseOrders.organisationId, ctx.actor.organisationId)));
  if (!row) throw notFound('purchase order', id);
  const lines = await ctx.db
    .select()
    .from(purchaseOrderLines)
    .where(eq(purchaseOrderLines.purchaseOrderId, id))
    .orderBy(asc(purchaseOrderLines.id));
  const o = row.o;
  return {
    ...o,
    expectedAt: iso(o.expectedAt),
    createdAt: iso(o.createdAt),
    releasedAt: iso(o.releasedAt),
    closedAt: iso(o.closedAt),
    supplier: row.supplier,
    lines,
  };
}

/**
 * A purchase order for the staff who manage orders where it is delivered, as it is printed: with the
 * delivery place and each line's item.
 */
export async function getPurchaseOrder({ ctx, id }: { ctx: Context; id: string }) {
  const order = await purchaseOrderView(ctx, id);
  const deliverTo = await loadLocation(ctx, order.deliverToId);
  authorize(ctx.actor, 'orders.manage', deliverTo);
  const described = await ctx.db
    .select({ id: items.id, code: items.code, name: items.name, nameEn: items.nameEn, unit: items.unit })
    .from(items)
    .where(
      inArray(
        items.id,
        order.lines.map((l) => l.itemId),
      ),
    );
  const item = new Map(described.map(({ id, ...rest }) => [id, rest]));
  return {
    ...order,
    deliverTo: { id: deliverTo.id, code: deliverTo.code, name: deliverTo.name },
    lines: order.lines.map((l) => ({ ...l, item: item.get(l.itemId)! })),
  };
}

async function lockOrder(ctx: Context, id: string) {
  const [order] = await ctx.db
    .select()
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, id), eq(purchaseOrders.organisationId, ctx.actor.organisationId)))
    .for('update');
  if (!order) throw notFound('purchase order', id);
  authorize(ctx.actor, 'orders.manage', await loadLocation(ctx, order.deliverToId));
  const lines = await ctx.db
    .select()
    .from(purchaseOrderLines)
    .where(eq(purchaseOrderLines.purchaseOrderId, id))
    .orderBy(asc(purchaseOrderLines.id));
  return { ...order, lines };
}

/**
 * Moves a purchase order through the seed's states: firm (PL→FP), ready (FP→RR), release to the
 * supplier (RR→OP), reschedule an overdue order (OD→OP, with a new expected date), cancel (before
 * release, or while nothing was received: its request lines are outstanding again).
 */
export async function advancePurchaseOrder({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(AdvancePurchaseOrderInput, input);
  return withTransaction(ctx, async (tx) => {
    const order = await lockOrder(tx, data.purchaseOrderId);
    const to = targets[data.event] as typeof order.status;
    const facts = order.lines.every((l) => l.quantityReceived === 0) ? (['nothing_received'] as const) : [];
    assertTransition(purchaseOrderTransitions, 'purchase order', order.status, data.event, to, facts);
    await tx.db
      .update(purchaseOrders)
      .set({
        status: to,
        ...(data.event === 'release' ? { releasedAt: tx.now() } : {}),
        ...(data.expectedAt ? { expectedAt: new Date(data.expectedAt) } : {}),
        ...(to === 'cancelled' ? { closedAt: tx.now() } : {}),
      })
      .where(eq(purchaseOrders.id, order.id));
    if (to === 'cancelled') {
      const lineIds = order.lines.flatMap((l) => (l.requestLineId ? [l.requestLineId] : []));
      const owners = lineIds.length
        ? await tx.db
            .selectDistinct({ requestId: requestLines.requestId })
            .from(requestLines)
            .where(inArray(requestLines.id, lineIds))
        : [];
      for (const { requestId } of owners.sort((a, b) => a.requestId.localeCompare(b.requestId))) {
        const request = await loadRequest(tx, requestId, { lock: true });
        for (const line of request.lines.filter((l) => lineIds.includes(l.id) && l.status === 'ordered')) {
          request.lines[request.lines.indexOf(line)] = await moveLine(
            tx,
            request,
            line,
            'withdraw',
            fulfilmentStatus(line, line.quantityIssued, line.decision !== null),
          );
        }
        await syncRequestStatus(tx, request, request.lines);
      }
    }
    await audit(tx, {
      action: `orders.${data.event}`,
      entityType: 'purchase_order',
      entityId: order.id,
      detail: { from: order.status, to, reason: data.reason },
    });
    return purchaseOrderView(tx, order.id);
  });
}

/**
 * Receives goods against an open purchase order: a goods receipt at the delivery warehouse (lots, expiry,
 * price), then, for lines bought for a ward request, the issue to that ward at once on an issue note.
 * The order closes (CL) when everything has arrived.
 */
export async function receivePurchaseOrder({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(ReceivePurchaseOrderInput, input);
  return withTransaction(ctx, async (tx) => {
    const order = await lockOrder(tx, data.purchaseOrderId);
    return onceForKey(tx, 'orders.receive', data.idempotencyKey, data, async () => {
      if (order.status !== 'OP' && order.status !== 'OD') {
        throw new DomainError('conflict', 'invalid_transition', {
          params: { entity: 'purchase order', from: order.status, to: 'received', event: 'receive' },
        });
      }
      const received = new Map<string, number>();
      for (const [i, l] of data.lines.entries()) {
        const line = order.lines.find((x) => x.id === l.purchaseOrderLineId);
        if (!line)
          throw new DomainError('validation', 'validation', {
            fields: [{ field: `lines.${i}.purchaseOrderLineId`, message: 'not a line of this order' }],
          });
        const total = (received.get(line.id) ?? 0) + l.quantity;
        if (line.quantityReceived + total > line.quantity)
          throw new DomainError('validation', 'validation', {
            fields: [
              {
                field: `lines.${i}.quantity`,
                message: `more than the ${line.quantity - line.quantityReceived} still expected`,
              },
            ],
          });
        received.set(line.id, total);
      }
      const receipt = await receiveGoods({
        ctx: tx,
        input: {
          locationId: order.deliverToId,
          supplierId: order.supplierId,
          documentType: 'DDT',
          ...(data.documentId ? { documentId: data.documentId } : {}),
          lines: data.lines.map((l) => {
            const line = order.lines.find((x) => x.id === l.purchaseOrderLineId)!;
            return {
              itemId: line.itemId,
              lotCode: l.lotCode,
              quantity: l.quantity,
              ...(l.expiry ? { expiry: l.expiry } : {}),
              unitPrice: l.unitPrice ?? Number(line.unitPrice ?? 0),
            };
          }),
        },
      });
      for (const [lineId, quantity] of received) {
        await tx.db
          .update(purchaseOrderLines)
          .set({ quantityReceived: sql`${purchaseOrderLines.quantityReceived} + ${quantity}` })
          .where(eq(purchaseOrderLines.id, lineId));
      }
      // Pass-through: what was bought for a ward goes on to it immediately, lot by lot as received.
      const issueNotes: string[] = [];
      const forRequests = data.lines
        .map((l, i) => ({
          l,
          movement: receipt.movements[i]!,
          poLine: order.lines.find((x) => x.id === l.purchaseOrderLineId)!,
        }))
        .filter((x) => x.poLine.requestLineId);
      const owners = forRequests.length
        ? await tx.db
            .selectDistinct({ requestId: requestLines.requestId })
            .from(requestLines)
            .where(
              inArray(
                requestLines.id,
                forRequests.map((x) => x.poLine.requestLineId!),
              ),
            )
        : [];
      for (const { requestId } of owners.sort((a, b) => a.requestId.localeCompare(b.requestId))) {
        const request = await loadRequest(tx, requestId, { lock: true });
        const picks = forRequests
          .filter((x) => request.lines.some((rl) => rl.id === x.poLine.requestLineId))
          .map((x) => ({
            line: request.lines.find((rl) => rl.id === x.poLine.requestLineId)!,
            quantity: x.movement.quantity,
            lotId: x.movement.lotId,
          }));
        issueNotes.push((await issueLines(tx, request, order.deliverToId, picks)).id);
      }
      const complete = order.lines.every((l) => l.quantityReceived + (received.get(l.id) ?? 0) >= l.quantity);
      if (complete) {
        assertTransition(purchaseOrderTransitions, 'purchase order', order.status, 'close', 'CL');
        await tx.db
          .update(purchaseOrders)
          .set({ status: 'CL', closedAt: tx.now() })
          .where(eq(purchaseOrders.id, order.id));
      }
      await audit(tx, {
        action: 'orders.receive',
        entityType: 'purchase_order',
        entityId: order.id,
        detail: { documentId: data.documentId, lines: data.lines.length, complete },
      });
      return { receipt: receipt.movements, issueNotes, purchaseOrder: await purchaseOrderView(tx, order.id) };
    });
  });
}

/** Marks open orders past their expected delivery as overdue (OD); returns how many. A daily job. */
export async function markOverdueOrders({ ctx }: { ctx: Context }) {
  authorize(ctx.actor, 'orders.manage');
  return withTransaction(ctx, async (tx) => {
    const late = await tx.db
      .update(purchaseOrders)
      .set({ status: 'OD' })
      .where(
        and(
          eq(purchaseOrders.organisationId, tx.actor.organisationId),
          eq(purchaseOrders.status, 'OP'),
          lt(purchaseOrders.expectedAt, tx.now()),
        ),
      )
      .returning({ id: purchaseOrders.id });
    for (const { id } of late)
      await audit(tx, { action: 'orders.overdue', entityType: 'purchase_order', entityId: id });
    return { overdue: late.length };
  });
}
