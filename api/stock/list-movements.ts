import { aliasedTable, and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { locations, movementKinds, movements } from '../../db/schema/index.ts';
import { authorize, readablePaths } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { decodeCursor, encodeCursor, Limit } from '../core/pagination.ts';
import { rangeInOrder } from '../core/ranges.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { toMovementView } from './movement-view.ts';
import { text } from '../core/text.ts';

export const ListMovementsInput = z
  .object({
    locationId: z.uuid().optional(),
    itemId: z.uuid().optional(),
    lotId: z.uuid().optional(),
    kind: z.enum(movementKinds).optional(),
    documentId: text().optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    limit: Limit,
    cursor: text().optional(),
  })
  .superRefine(rangeInOrder('since', 'until'));
export type ListMovementsInput = z.input<typeof ListMovementsInput>;

const fromLoc = aliasedTable(locations, 'from_loc');
const toLoc = aliasedTable(locations, 'to_loc');

/** Movements of the ledger, newest first, filtered; staff see those touching their own subtrees. */
export async function listMovements({ ctx, input }: { ctx: Context; input: ListMovementsInput }) {
  const data = parseInput(ListMovementsInput, input);
  const where: (SQL | undefined)[] = [eq(movements.organisationId, ctx.actor.organisationId)];
  if (data.locationId) {
    const location = await loadLocation(ctx, data.locationId);
    authorize(ctx.actor, 'stock.read', location);
    where.push(or(eq(movements.fromLocationId, location.id), eq(movements.toLocationId, location.id)));
  } else {
    const scope = readablePaths(ctx.actor, 'stock.read');
    if (!scope.all) {
      const touches = (p: string) => or(sql`${fromLoc.path} like ${`${p}%`}`, sql`${toLoc.path} like ${`${p}%`}`);
      where.push(scope.paths.length ? or(...scope.paths.map(touches)) : sql`false`);
    }
  }
  if (data.itemId) where.push(eq(movements.itemId, data.itemId));
  if (data.lotId) where.push(eq(movements.lotId, data.lotId));
  if (data.kind) where.push(eq(movements.kind, data.kind));
  if (data.documentId) where.push(eq(movements.documentId, data.documentId));
  if (data.since) where.push(gte(movements.occurredAt, new Date(data.since)));
  if (data.until) where.push(lt(movements.occurredAt, new Date(data.until)));
  const before = decodeCursor(data.cursor, z.number().int().positive());
  if (before !== undefined) where.push(lt(movements.id, before));
  const rows = await ctx.db
    .select({ m: movements })
    .from(movements)
    .leftJoin(fromLoc, eq(fromLoc.id, movements.fromLocationId))
    .leftJoin(toLoc, eq(toLoc.id, movements.toLocationId))
    .where(and(...where))
    .orderBy(desc(movements.id))
    .limit(data.limit + 1);
  const page = rows.slice(0, data.limit).map((r) => toMovementView(r.m));
  return { data: page, nextCursor: rows.length > data.limit ? encodeCursor(page.at(-1)!.id) : null };
}
