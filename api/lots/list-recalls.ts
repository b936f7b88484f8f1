import { and, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { items, lotRecalls, lots, recallKinds, recallStatuses } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { decodeCursor, encodeCursor, Limit } from '../core/pagination.ts';
import { parseInput } from '../core/validate.ts';
import { recallView } from './recall-view.ts';
import { text } from '../core/text.ts';

export const ListRecallsInput = z.object({
  status: z.enum(recallStatuses).optional(),
  kind: z.enum(recallKinds).optional(),
  lotId: z.uuid().optional(),
  limit: Limit,
  cursor: text().optional(),
});
export type ListRecallsInput = z.input<typeof ListRecallsInput>;

/** Quarantines and recalls of the organisation, newest first, with their lot and item. */
export async function listRecalls({ ctx, input }: { ctx: Context; input: ListRecallsInput }) {
  const data = parseInput(ListRecallsInput, input);
  authorize(ctx.actor, 'lots.read');
  const where: (SQL | undefined)[] = [eq(lotRecalls.organisationId, ctx.actor.organisationId)];
  if (data.status) where.push(eq(lotRecalls.status, data.status));
  if (data.kind) where.push(eq(lotRecalls.kind, data.kind));
  if (data.lotId) where.push(eq(lotRecalls.lotId, data.lotId));
  const offset = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;
  const rows = await ctx.db
    .select({
      recall: lotRecalls,
      lotCode: lots.lotCode,
      item: { id: items.id, code: items.code, name: items.name, nameEn: items.nameEn },
    })
    .from(lotRecalls)
    .innerJoin(lots, eq(lots.id, lotRecalls.lotId))
    .innerJoin(items, eq(items.id, lots.itemId))
    .where(and(...where))
    .orderBy(desc(lotRecalls.openedAt), desc(lotRecalls.id))
    .limit(data.limit + 1)
    .offset(offset);
  return {
    data: rows.slice(0, data.limit).map((r) => ({ ...recallView(r.recall), lotCode: r.lotCode, item: r.item })),
    nextCursor: rows.length > data.limit ? encodeCursor(offset + data.limit) : null,
  };
}
