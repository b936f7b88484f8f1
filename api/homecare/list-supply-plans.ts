import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { items, locations, supplyPlans } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { decodeCursor, encodeCursor, type Page } from '../core/pagination.ts';
import { parseInput } from '../core/validate.ts';
import { planView, selectPlans, type SupplyPlanView } from './plan-view.ts';
import { ListSupplyPlansInput } from './schemas.ts';
import { homeCareScope } from './scope.ts';

/**
 * Supply plans of the homes in a team (or one home, or the actor's scope), active ones unless asked, by home and item.
 */
export async function listSupplyPlans({ ctx, input }: { ctx: Context; input: unknown }): Promise<Page<SupplyPlanView>> {
  const data = parseInput(ListSupplyPlansInput, input);
  const { filter } = await homeCareScope(ctx, 'homecare.read', data.locationId);
  const offset = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;
  const rows = await selectPlans(
    ctx,
    and(
      filter,
      data.itemId ? eq(supplyPlans.itemId, data.itemId) : undefined,
      data.includeEnded ? undefined : isNull(supplyPlans.endedAt),
    ),
  )
    .orderBy(asc(locations.code), asc(items.code), desc(supplyPlans.createdAt))
    .limit(data.limit + 1)
    .offset(offset);
  return {
    data: rows.slice(0, data.limit).map(planView),
    nextCursor: rows.length > data.limit ? encodeCursor(offset + data.limit) : null,
  };
}
