import { z } from 'zod';
import type { Context } from '../core/context.ts';
import { checkLotStatusChange, LotStatusChange } from '../lots/set-lot-status.ts';
import { quarantineLot } from '../lots/quarantine-lot.ts';
import { recallLot } from '../lots/recall-lot.ts';
import { emitRequest, requestTarget } from '../requests/emit-request.ts';
import { checkRequestRules } from '../requests/request-rules.ts';
import { EmitRequestInput } from '../requests/schemas.ts';

/** What a user saw before confirming, kept with the proposal so every channel can show it again. */
export const ProposalSummary = z.record(z.string().max(40), z.string().max(300));

/**
 * The writes a chat proposal may hold, each checked when proposed and run, through the core action, only
 * when confirmed — with the proposal id as idempotency key, so a double confirmation writes once.
 */
export const proposalActions = {
  request_items: {
    input: EmitRequestInput.omit({ idempotencyKey: true }),
    /**
     * Refuses at once what the user could not confirm anyway: another ward, a store as destination, a quantity above
     * the cap.
     */
    async check(ctx: Context, input: z.output<typeof EmitRequestInput>) {
      const { target } = await requestTarget(ctx, input.destinationId);
      await checkRequestRules(ctx, { target, lines: input.lines, override: input.override });
    },
    async run(ctx: Context, input: z.output<typeof EmitRequestInput>, key: string) {
      const request = await emitRequest({ ctx, input: { ...input, idempotencyKey: key } });
      return {
        reference: request.number,
        requestId: request.id,
        status: request.status,
        destination: request.destination.code,
      };
    },
  },
  recall_lot: {
    input: LotStatusChange.omit({ idempotencyKey: true }),
    /** Refuses at once a lot that cannot be recalled (already recalled), in the user's language. */
    async check(ctx: Context, input: { lotId: string }) {
      await checkLotStatusChange(ctx, input.lotId, 'recall');
    },
    async run(ctx: Context, input: z.output<typeof LotStatusChange>, key: string) {
      const done = await recallLot({ ctx, input: { ...input, idempotencyKey: key } });
      return { reference: done.lot.lotCode, lotId: done.lot.id, status: done.lot.status };
    },
  },
  quarantine_lot: {
    input: LotStatusChange.omit({ idempotencyKey: true }),
    /** Refuses at once a lot that cannot be quarantined (already quarantined, or recalled). */
    async check(ctx: Context, input: { lotId: string }) {
      await checkLotStatusChange(ctx, input.lotId, 'quarantine');
    },
    async run(ctx: Context, input: z.output<typeof LotStatusChange>, key: string) {
      const done = await quarantineLot({ ctx, input: { ...input, idempotencyKey: key } });
      return { reference: done.lot.lotCode, lotId: done.lot.id, status: done.lot.status };
    },
  },
} as const;

export type ProposalActionName = keyof typeof proposalActions;
export const proposalActionNames = Object.keys(proposalActions) as [ProposalActionName, ...ProposalActionName[]];
export type ProposalResult = Awaited<ReturnType<(typeof proposalActions)[ProposalActionName]['run']>>;
