import { z } from 'zod';
import { IdempotencyKey, Quantity } from '../stock/schemas.ts';

export const AdvancePurchaseOrderInput = z.object({
  purchaseOrderId: z.uuid(),
  event: z.enum(['firm', 'ready', 'release', 'reschedule', 'cancel']),
  expectedAt: z.iso.datetime({ offset: true }).optional(),
  reason: z.string().trim().min(1).max(500).optional(),
});
export type AdvancePurchaseOrderInput = z.input<typeof AdvancePurchaseOrderInput>;

export const ReceivePurchaseOrderInput = z.object({
  purchaseOrderId: z.uuid(),
  /** The supplier's delivery note (DDT). */
  documentId: z.string().trim().min(1).max(80).optional(),
  lines: z
    .array(
      z.object({
        purchaseOrderLineId: z.uuid(),
        lotCode: z.string().trim().min(1).max(20),
        expiry: z.iso.date().optional(),
        quantity: Quantity,
        unitPrice: z.number().nonnegative().max(1_000_000).optional(),
      }),
    )
    .min(1)
    .max(500),
  idempotencyKey: IdempotencyKey.optional(),
});
export type ReceivePurchaseOrderInput = z.input<typeof ReceivePurchaseOrderInput>;
