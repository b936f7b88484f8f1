import { createRoute } from '@hono/zod-openapi';
import { router } from '../http/context.ts';
import { printed } from '../http/print.ts';
import { OverdueOrders, PurchaseOrder, PurchaseOrderDetail, PurchaseOrderReceipt } from './views.ts';
import {
  htmlPage,
  IdempotencyHeaders,
  json,
  jsonBody,
  readErrors,
  replayed,
  UuidParam,
  writeErrors,
} from '../http/schemas.ts';
import { keyedBody, written } from '../http/writes.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { renderPurchaseOrder } from '../requests/render-documents.ts';
import { advancePurchaseOrder, getPurchaseOrder, markOverdueOrders, receivePurchaseOrder } from './purchase-orders.ts';
import { AdvancePurchaseOrderInput, ReceivePurchaseOrderInput } from './schemas.ts';

const tags = ['orders'];

/**
 * Purchase orders to suppliers (ordini d'acquisto), through the seed's states PL → FP → RR → OP → CL. A
 * state change is one `POST …/transitions` naming its event, so the events stay the core's closed list.
 */
export function orderRoutes() {
  const app = router();

  const overdue = createRoute({
    method: 'post',
    path: '/purchase-orders/overdue',
    operationId: 'markOverdueOrders',
    tags,
    summary: 'Segna i ritardi · Mark overdue orders',
    description:
      'Lavoro giornaliero: gli ordini aperti oltre la consegna prevista passano a OD · ' +
      'Daily job: open orders past their expected delivery become OD.',
    responses: { 200: json(OverdueOrders, 'How many orders became overdue'), ...writeErrors },
  });
  app.openapi(overdue, async (c) => c.json(await markOverdueOrders({ ctx: c.var.ctx }), 200));

  const get = createRoute({
    method: 'get',
    path: '/purchase-orders/{id}',
    operationId: 'getPurchaseOrder',
    tags,
    summary: "Un ordine d'acquisto · One purchase order",
    request: { params: UuidParam },
    responses: { 200: json(PurchaseOrderDetail, 'The order, its delivery place and its items'), ...readErrors },
  });
  app.openapi(get, async (c) => c.json(await getPurchaseOrder({ ctx: c.var.ctx, id: c.req.valid('param').id }), 200));

  const transition = createRoute({
    method: 'post',
    path: '/purchase-orders/{id}/transitions',
    operationId: 'transitionPurchaseOrder',
    tags,
    summary: 'Cambia stato · Change state',
    description:
      '`firm` PL→FP, `ready` FP→RR, `release` RR→OP, `reschedule` OD→OP (con `expectedAt` · ' +
      'with `expectedAt`), `cancel` prima del rilascio o se nulla è arrivato · ' +
      'before release or while nothing arrived. Un evento non ammesso è 409 · ' +
      'An event not allowed is 409.',
    request: { params: UuidParam, body: jsonBody(AdvancePurchaseOrderInput.omit({ purchaseOrderId: true })) },
    responses: { 200: json(PurchaseOrder, 'The order in its new state'), ...writeErrors },
  });
  app.openapi(transition, async (c) =>
    c.json(
      await advancePurchaseOrder({
        ctx: c.var.ctx,
        input: { ...c.req.valid('json'), purchaseOrderId: c.req.valid('param').id },
      }),
      200,
    ),
  );

  const receipt = createRoute({
    method: 'post',
    path: '/purchase-orders/{id}/receipts',
    operationId: 'receivePurchaseOrder',
    tags,
    summary: 'Ricevi merce · Receive goods',
    description:
      'Carico al magazzino per lotto; ciò che era per un reparto parte subito con una bolla · ' +
      'Receipt at the warehouse by lot; what was bought for a ward leaves at once on an issue note.',
    request: {
      params: UuidParam,
      headers: IdempotencyHeaders,
      body: jsonBody(ReceivePurchaseOrderInput.omit({ purchaseOrderId: true })),
    },
    responses: { 201: json(PurchaseOrderReceipt, 'Received'), 200: replayed(PurchaseOrderReceipt), ...writeErrors },
  });
  app.openapi(receipt, async (c) =>
    written(
      c,
      await receivePurchaseOrder({
        ctx: c.var.ctx,
        input: { ...keyedBody(c), purchaseOrderId: c.req.valid('param').id },
      }),
    ),
  );

  const print = createRoute({
    method: 'get',
    path: '/purchase-orders/{id}/print',
    operationId: 'printPurchaseOrder',
    tags,
    summary: "Stampa l'ordine · Print a purchase order",
    description: 'Pagina HTML per A4 con prezzi e totale in euro · An A4 HTML page with prices and the total in euro.',
    request: { params: UuidParam },
    responses: { 200: htmlPage('The printable order'), ...readErrors },
  });
  app.openapi(print, async (c) => {
    const [order, organisation] = await Promise.all([
      getPurchaseOrder({ ctx: c.var.ctx, id: c.req.valid('param').id }),
      getOrganisation({ ctx: c.var.ctx, id: c.var.ctx.actor.organisationId }),
    ]);
    return printed(c, (locale) => renderPurchaseOrder({ ...order, organisation }, locale));
  });

  return app;
}
