import { z } from '@hono/zod-openapi';
import { purchaseOrderStatuses } from '../core/vocabularies.ts';
import { Decimal, Timestamp } from '../http/schemas.ts';
import { Described, Named, Place } from '../requests/views.ts';
import { Movement } from '../stock/views.ts';

/* Response shapes of purchase orders, as they travel in JSON. */
const Ids = z.array(z.uuid());

const purchaseOrderLine = {
  id: z.uuid(),
  purchaseOrderId: z.uuid(),
  requestLineId: z.uuid().nullable(),
  itemId: z.uuid(),
  quantity: z.number().int(),
  quantityReceived: z.number().int(),
  unitPrice: Decimal.nullable(),
};
const purchaseOrderFields = {
  id: z.uuid(),
  organisationId: z.uuid(),
  number: z.string().openapi({ example: 'OA-2026-000003' }),
  supplierId: z.uuid(),
  deliverToId: z.uuid(),
  status: z.enum(purchaseOrderStatuses).openapi({
    description:
      'PL pianificato, FP confermato, RR pronto, OP aperto, OD in ritardo, CL chiuso · ' +
      'planned, firm, ready, open, overdue, closed',
  }),
  expectedAt: Timestamp.nullable(),
  createdBy: z.uuid().nullable(),
  createdAt: Timestamp,
  releasedAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
  supplier: z.object(Named),
};

export const PurchaseOrder = z
  .object({ ...purchaseOrderFields, lines: z.array(z.object(purchaseOrderLine)) })
  .openapi('PurchaseOrder');
export const PurchaseOrderDetail = z
  .object({
    ...purchaseOrderFields,
    deliverTo: Place,
    lines: z.array(z.object({ ...purchaseOrderLine, item: z.object(Described) })),
  })
  .openapi('PurchaseOrderDetail');
export const PurchaseOrderReceipt = z
  .object({ receipt: z.array(Movement), issueNotes: Ids, purchaseOrder: PurchaseOrder })
  .openapi('PurchaseOrderReceipt');
export const OverdueOrders = z
  .object({ overdue: z.number().int().openapi({ description: 'Ordini passati a OD · Orders moved to OD' }) })
  .openapi('OverdueOrders');
