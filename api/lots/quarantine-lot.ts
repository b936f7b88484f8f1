import type { z } from 'zod';
import type { Context } from '../core/context.ts';
import { LotStatusChange, setLotStatus } from './set-lot-status.ts';

export const QuarantineLotInput = LotStatusChange;
export type QuarantineLotInput = z.input<typeof QuarantineLotInput>;

/** Puts a lot in quarantine: nobody may issue, pick, transfer or consume it until it is lifted or recalled. */
export const quarantineLot = ({ ctx, input }: { ctx: Context; input: QuarantineLotInput }) =>
  setLotStatus({ ctx, input: { ...input, event: 'quarantine' } });
