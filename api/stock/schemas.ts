import { z } from 'zod';
import { text } from '../core/text.ts';

export const Quantity = z.number().int().positive().max(1_000_000);
export const IdempotencyKey = text().trim().min(1).max(200);
const Note = text().trim().min(1).max(500);
const DocumentRef = {
  documentType: text().trim().min(1).max(40).optional(),
  documentId: text().trim().min(1).max(80).optional(),
};

/** One line of stock leaving a location: a lot, or the item and FEFO picks the lots. */
export const MoveLine = z.object({ itemId: z.uuid(), lotId: z.uuid().optional(), quantity: Quantity });
export type MoveLine = z.infer<typeof MoveLine>;

/** What arrived, lot by lot: the lot code and expiry printed on the pack, the quantity, the price paid. */
export const ReceiptLine = z.object({
  lotCode: text().trim().min(1).max(20),
  expiry: z.iso.date().optional(),
  quantity: Quantity,
  unitPrice: z.number().nonnegative().max(1_000_000).optional(),
});

export const ReceiveGoodsInput = z.object({
  locationId: z.uuid(),
  supplierId: z.uuid().optional(),
  ...DocumentRef,
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  idempotencyKey: IdempotencyKey.optional(),
  lines: z
    .array(ReceiptLine.extend({ itemId: z.uuid() }))
    .min(1)
    .max(500),
});
export type ReceiveGoodsInput = z.infer<typeof ReceiveGoodsInput>;

const Between = {
  fromLocationId: z.uuid(),
  toLocationId: z.uuid(),
  lines: z.array(MoveLine).min(1).max(500),
  ...DocumentRef,
  reason: Note.optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  idempotencyKey: IdempotencyKey.optional(),
};
export const IssueStockInput = z.object(Between);
export type IssueStockInput = z.infer<typeof IssueStockInput>;
export const TransferStockInput = z.object(Between);
export type TransferStockInput = z.infer<typeof TransferStockInput>;
export const ReturnStockInput = z.object({ ...Between, reason: Note });
export type ReturnStockInput = z.infer<typeof ReturnStockInput>;

export const RecordConsumptionInput = z.object({
  locationId: z.uuid(),
  lines: z.array(MoveLine).min(1).max(500),
  reason: Note.optional(),
  ...DocumentRef,
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type RecordConsumptionInput = z.infer<typeof RecordConsumptionInput>;

export const AdjustStockInput = z.object({
  locationId: z.uuid(),
  lotId: z.uuid(),
  countedQuantity: z.number().int().nonnegative().max(1_000_000),
  reason: Note,
  idempotencyKey: IdempotencyKey.optional(),
});
export type AdjustStockInput = z.infer<typeof AdjustStockInput>;

export const ReverseMovementInput = z.object({
  movementId: z.number().int().positive(),
  reason: Note,
  idempotencyKey: IdempotencyKey.optional(),
});
export type ReverseMovementInput = z.infer<typeof ReverseMovementInput>;
