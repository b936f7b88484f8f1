import type { z } from 'zod';
import type { Context } from '../core/context.ts';
import { LotStatusChange, setLotStatus } from './set-lot-status.ts';

export const RecallLotInput = LotStatusChange;
export type RecallLotInput = z.input<typeof RecallLotInput>;

/** Recalls a lot (final): its stock may only go back to the store that received it, as holders confirm. */
export const recallLot = ({ ctx, input }: { ctx: Context; input: RecallLotInput }) =>
  setLotStatus({ ctx, input: { ...input, event: 'recall' } });
