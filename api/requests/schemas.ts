import { z } from 'zod';
import { urgencies } from '../../db/schema/index.ts';
import { IdempotencyKey, Quantity } from '../stock/schemas.ts';
import { text } from '../core/text.ts';

const Reason = text().trim().min(1).max(500);

export const EmitRequestInput = z.object({
  /** The ward (its store receives), or directly a ward store, a cabinet or a patient's home. */
  destinationId: z.uuid(),
  urgency: z.enum(urgencies).default('normal'),
  neededBy: z.iso.datetime({ offset: true }).optional(),
  note: text().trim().min(1).max(1000).optional(),
  lines: z
    .array(z.object({ itemId: z.uuid(), quantity: Quantity }))
    .min(1)
    .max(200)
    .refine((lines) => new Set(lines.map((l) => l.itemId)).size === lines.length, 'each item once per request'),
  /**
   * Why, in the emitter's own words (a cabinet's integration): stored as `{kind: 'declared', text}`; without it `{kind:
   * 'manual'}`.
   */
  origin: text().trim().min(1).max(2000).optional(),
  /**
   * Ask for more than a line's cap (4 weeks of the destination's usual consumption) on purpose: admins only, audited
   * with the reason.
   */
  override: z.object({ reason: Reason }).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type EmitRequestInput = z.input<typeof EmitRequestInput>;

export const EvaluateLinesInput = z.object({
  decisions: z
    .array(
      z.discriminatedUnion('decision', [
        z.object({ lineId: z.uuid(), decision: z.literal('approve'), reason: Reason.optional() }),
        z.object({ lineId: z.uuid(), decision: z.literal('reduce'), quantity: Quantity, reason: Reason }),
        z.object({ lineId: z.uuid(), decision: z.literal('reject'), reason: Reason }),
      ]),
    )
    .min(1)
    .max(200),
  /** Approve although the ward budget or the contract would be exceeded (recorded in the audit log). */
  override: z.object({ reason: Reason }).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type EvaluateLinesInput = z.input<typeof EvaluateLinesInput>;

export const FulfilRequestInput = z.object({
  requestId: z.uuid(),
  /** Only these lines; by default every line of the request the actor's sections can fulfil. */
  lineIds: z.array(z.uuid()).min(1).max(200).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type FulfilRequestInput = z.input<typeof FulfilRequestInput>;

export const ConfirmPickingListInput = z.object({
  pickingListId: z.uuid(),
  /** The lines as picked, when they differ from the proposal (another lot, a smaller quantity). */
  lines: z
    .array(z.object({ requestLineId: z.uuid(), lotId: z.uuid(), quantity: Quantity }))
    .min(1)
    .max(500)
    .optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type ConfirmPickingListInput = z.input<typeof ConfirmPickingListInput>;

export const IssueNoteActionInput = z.object({
  issueNoteId: z.uuid(),
  reason: Reason.optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type IssueNoteActionInput = z.input<typeof IssueNoteActionInput>;

export const CancelInput = z.object({
  requestId: z.uuid(),
  lineIds: z.array(z.uuid()).min(1).max(200).optional(),
  reason: Reason,
});
export type CancelInput = z.input<typeof CancelInput>;
