import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { items, lots, lotStatuses } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { decodeCursor, encodeCursor, Limit } from '../core/pagination.ts';
import { localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { text } from '../core/text.ts';

export const ListLotsInput = z.object({
  itemId: z.uuid().optional(),
  /** The status staff see: `expired` includes available lots past their expiry. */
  status: z.enum(lotStatuses).optional(),
  /** Lots expiring on or before this date (YYYY-MM-DD). */
  expiringBy: z.iso.date().optional(),
  lotCode: text().trim().min(1).max(20).optional(),
  limit: Limit,
  cursor: text().optional(),
});
export type ListLotsInput = z.input<typeof ListLotsInput>;

const lotColumns = (today: string) => ({
  id: lots.id,
  organisationId: lots.organisationId,
  itemId: lots.itemId,
  lotCode: lots.lotCode,
  expiry: lots.expiry,
  supplierId: lots.supplierId,
  purchasePrice: lots.purchasePrice,
  status: sql<
    (typeof lotStatuses)[number]
  >`case when ${lots.status} = 'available' and ${lots.expiry} < ${today} then 'expired' else ${lots.status} end`,
  statusReason: lots.statusReason,
  createdAt: sql<string>`to_char(${lots.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  item: { code: items.code, name: items.name, nameEn: items.nameEn },
});

/** Lots of the organisation, earliest expiry first, filtered by item, status, expiry horizon or lot code. */
export async function listLots({ ctx, input }: { ctx: Context; input: ListLotsInput }) {
  const data = parseInput(ListLotsInput, input);
  authorize(ctx.actor, 'lots.read');
  const today = localDate(ctx.now());
  const columns = lotColumns(today);
  const where: (SQL | undefined)[] = [eq(lots.organisationId, ctx.actor.organisationId)];
  if (data.itemId) where.push(eq(lots.itemId, data.itemId));
  if (data.status) where.push(sql`${columns.status} = ${data.status}`);
  if (data.expiringBy) where.push(sql`${lots.expiry} <= ${data.expiringBy}`);
  if (data.lotCode) where.push(eq(lots.lotCode, data.lotCode));
  const offset = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;
  const rows = await ctx.db
    .select(columns)
    .from(lots)
    .innerJoin(items, eq(items.id, lots.itemId))
    .where(and(...where))
    .orderBy(sql`${lots.expiry} nulls last`, asc(items.code), asc(lots.lotCode))
    .limit(data.limit + 1)
    .offset(offset);
  return {
    data: rows.slice(0, data.limit),
    nextCursor: rows.length > data.limit ? encodeCursor(offset + data.limit) : null,
  };
}

/** One lot of the organisation, with its item and the status staff see today. */
export async function getLot({ ctx, id }: { ctx: Context; id: string }) {
  authorize(ctx.actor, 'lots.read');
  const [row] = await ctx.db
    .select(lotColumns(localDate(ctx.now())))
    .from(lots)
    .innerJoin(items, eq(items.id, lots.itemId))
    .where(and(eq(lots.id, id), eq(lots.organisationId, ctx.actor.organisationId)));
  if (!row) throw notFound('lot', id);
  return row;
}
