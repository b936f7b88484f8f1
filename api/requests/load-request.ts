import { and, asc, eq, inArray } from 'drizzle-orm';
import { requestLines, wardRequests } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { notFound } from '../core/errors.ts';

export type RequestRow = typeof wardRequests.$inferSelect;
export type LineRow = typeof requestLines.$inferSelect;

/**
 * A request of the actor's organisation with its lines. `lock` takes the request row and its lines
 * FOR UPDATE: whoever evaluates, fulfils or cancels a request works on it alone until commit.
 */
export async function loadRequest(
  ctx: Context,
  id: string,
  options: { lock?: boolean } = {},
): Promise<RequestRow & { lines: LineRow[] }> {
  const query = ctx.db
    .select()
    .from(wardRequests)
    .where(and(eq(wardRequests.id, id), eq(wardRequests.organisationId, ctx.actor.organisationId)));
  const [request] = options.lock ? await query.for('update') : await query;
  if (!request) throw notFound('request', id);
  const lineQuery = ctx.db
    .select()
    .from(requestLines)
    .where(eq(requestLines.requestId, id))
    .orderBy(asc(requestLines.lineNo));
  const lines = options.lock ? await lineQuery.for('update') : await lineQuery;
  return { ...request, lines };
}

/** The requests some lines belong to (a section's evaluation may span several requests), locked. */
export async function requestIdsOfLines(ctx: Context, lineIds: string[]): Promise<string[]> {
  const rows = await ctx.db
    .selectDistinct({ requestId: requestLines.requestId })
    .from(requestLines)
    .where(inArray(requestLines.id, lineIds));
  return rows.map((r) => r.requestId).sort();
}
