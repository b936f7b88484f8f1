import { z } from 'zod';
import { IdempotencyKey, ReceiptLine } from '../stock/schemas.ts';
import { text } from '../core/text.ts';

export const AdvancePurchaseOrderInput = z.object({
  purchaseOrderId: z.uuid(),
  event: z.enum(['firm', 'ready', 'release', 'reschedule', 'cancel']),
  expectedAt: z.iso.datetime({ offset: true }).optional(),
  reason: text().trim().min(1).max(500).optional(),
});
export type AdvancePurchaseOrderInput = z.input<typeof AdvancePurchaseOrderInput>;

export const ReceivePurchaseOrderInput = z.object({
  purchaseOrderId: z.uuid(),
  /** The supplier's delivery note (DDT). */
  documentId: text().trim().min(1).max(80).optional(),
  lines: z
    .array(ReceiptLine.extend({ purchaseOrderLineId: z.uuid() }))
    .min(1)
    .max(500),
  idempotencyKey: IdempotencyKey.optional(),
});
export type ReceivePurchaseOrderInput = z.input<typeof ReceivePurchaseOrderInput>;
