import { eq, sql } from 'drizzle-orm';
import { requestLines, wardRequests, type LineStatus } from '../../db/schema/index.ts';
import type { Context } from '../core/context.ts';
import { assertTransition } from '../core/state-machine.ts';
import type { LineRow, RequestRow } from './load-request.ts';
import {
  lineTransitions,
  outstanding,
  requestEventFor,
  requestStatusFor,
  requestTransitions,
  type LineEvent,
} from './transitions.ts';

/** The status a line reaches after issuing or reversing, from its quantities. */
export function fulfilmentStatus(line: LineRow, issued: number, evaluated: boolean): LineStatus {
  const target = line.quantityApproved ?? line.quantityRequested;
  if (issued >= target) return 'issued';
  if (issued > 0) return 'partially_issued';
  return evaluated ? 'approved' : 'routed';
}

/**
 * Moves a line to `to` on `event` if the transition table allows it (emergencies have their own moves),
 * writing the other changed columns with it. Every change of a line's status goes through here.
 */
export async function moveLine(
  ctx: Context,
  request: RequestRow,
  line: LineRow,
  event: LineEvent,
  to: LineStatus,
  changes: Partial<LineRow> = {},
): Promise<LineRow> {
  assertTransition(
    lineTransitions,
    'request line',
    line.status,
    event,
    to,
    request.urgency === 'emergency' ? ['emergency'] : [],
  );
  const next = { ...line, ...changes, status: to };
  await ctx.db
    .update(requestLines)
    .set({ ...changes, status: to, updatedAt: sql`now()` })
    .where(eq(requestLines.id, line.id));
  return next;
}

/** Recomputes the request's status from its lines and stores it, through the request transition table. */
export async function syncRequestStatus(
  ctx: Context,
  request: RequestRow,
  lines: readonly LineRow[],
): Promise<RequestRow> {
  const to = requestStatusFor(lines);
  if (to === request.status) return request;
  assertTransition(requestTransitions, 'request', request.status, requestEventFor(request.status, to), to);
  await ctx.db.update(wardRequests).set({ status: to, updatedAt: sql`now()` }).where(eq(wardRequests.id, request.id));
  return { ...request, status: to };
}

export { outstanding };
