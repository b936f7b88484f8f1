import type { z } from 'zod';
import type { Context } from '../core/context.ts';
import { LotStatusChange, setLotStatus } from './set-lot-status.ts';

export const LiftQuarantineInput = LotStatusChange;
export type LiftQuarantineInput = z.input<typeof LiftQuarantineInput>;

/** Lifts a lot's quarantine (audited, with its reason): the lot is usable again unless it has expired meanwhile. */
export const liftQuarantine = ({ ctx, input }: { ctx: Context; input: LiftQuarantineInput }) =>
  setLotStatus({ ctx, input: { ...input, event: 'lift' } });
