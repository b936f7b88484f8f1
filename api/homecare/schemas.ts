import { z } from 'zod';
import { Limit } from '../core/pagination.ts';
import { IdempotencyKey } from '../stock/schemas.ts';
import { text } from '../core/text.ts';

/** Units a day, up to three decimals (the column's scale): 4 strips, 0.5 of a pack, 2.25 l. */
export const DailyQuantity = z
  .number()
  .positive()
  .max(100_000)
  .refine((x) => Math.abs(x * 1000 - Math.round(x * 1000)) < 1e-6, 'at most three decimals');

export const SetSupplyPlanInput = z.object({
  /** The patient's home. */
  locationId: z.uuid(),
  itemId: z.uuid(),
  dailyQuantity: DailyQuantity,
  note: text().trim().min(1).max(500).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type SetSupplyPlanInput = z.input<typeof SetSupplyPlanInput>;

export const EndSupplyPlanInput = z.object({
  locationId: z.uuid(),
  itemId: z.uuid(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type EndSupplyPlanInput = z.input<typeof EndSupplyPlanInput>;

export const ListSupplyPlansInput = z.object({
  /** A home, or a team (every home below it); the actor's scope when omitted. */
  locationId: z.uuid().optional(),
  itemId: z.uuid().optional(),
  /** Ended plans too (the history of a patient's plans). */
  includeEnded: z.boolean().default(false),
  limit: Limit,
  cursor: text().optional(),
});
export type ListSupplyPlansInput = z.input<typeof ListSupplyPlansInput>;

export const HomeCareOverviewInput = z.object({
  /** The home-care team (a location whose subtree holds the homes); the actor's scope when omitted. */
  teamLocationId: z.uuid().optional(),
});
export type HomeCareOverviewInput = z.input<typeof HomeCareOverviewInput>;
