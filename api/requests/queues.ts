import { and, asc, desc, eq, inArray, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  items,
  locations,
  procurementSections,
  purchaseOrders,
  requestLines,
  requestStatuses,
  suppliers,
  openLineStatuses,
  openRequestStatuses,
  wardRequests,
} from '../../db/schema/index.ts';
import { authorize, can, readablePaths } from '../auth/permissions.ts';
import type { Context } from '../core/context.ts';
import { forbidden } from '../core/errors.ts';
import { decodeCursor, encodeCursor, Limit } from '../core/pagination.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { outstanding } from './transitions.ts';
import { iso } from '../core/time.ts';
import { text } from '../core/text.ts';

const urgencyRank = sql`case ${wardRequests.urgency} when 'emergency' then 0 when 'urgent' then 1 else 2 end`;

export const ListRequestsInput = z.object({
  /** A ward (and what is below it); every ward the actor emits for when omitted. */
  destinationId: z.uuid().optional(),
  status: z
    .enum([...requestStatuses, 'open'])
    .optional()
    .describe('A request status, or open: every request still waited on (submitted or in_progress)'),
  limit: Limit,
  cursor: text().optional(),
});
export type ListRequestsInput = z.input<typeof ListRequestsInput>;

/** Requests of the wards the actor emits for (newest first); a location narrows to its subtree. */
export async function listRequests({ ctx, input }: { ctx: Context; input: ListRequestsInput }) {
  const data = parseInput(ListRequestsInput, input);
  const where: (SQL | undefined)[] = [eq(wardRequests.organisationId, ctx.actor.organisationId)];
  if (data.destinationId) {
    const location = await loadLocation(ctx, data.destinationId);
    authorize(ctx.actor, 'requests.receive', location);
    where.push(like(locations.path, `${location.path}%`));
  } else {
    const scope = readablePaths(ctx.actor, 'requests.receive');
    if (!scope.all)
      where.push(scope.paths.length ? or(...scope.paths.map((p) => like(locations.path, `${p}%`))) : sql`false`);
  }
  if (data.status === 'open') where.push(inArray(wardRequests.status, [...openRequestStatuses]));
  else if (data.status) where.push(eq(wardRequests.status, data.status));
  const offset = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;
  const rows = await ctx.db
    .select({ r: wardRequests, destination: { code: locations.code, name: locations.name } })
    .from(wardRequests)
    .innerJoin(locations, eq(locations.id, wardRequests.destinationId))
    .where(and(...where))
    .orderBy(desc(wardRequests.createdAt), desc(wardRequests.number))
    .limit(data.limit + 1)
    .offset(offset);
  const data_ = rows.slice(0, data.limit).map(({ r, destination }) => ({
    ...r,
    neededBy: iso(r.neededBy),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    destination,
  }));
  return { data: data_, nextCursor: rows.length > data.limit ? encodeCursor(offset + data.limit) : null };
}

export const SectionQueueInput = z.object({ sectionId: z.uuid().optional(), limit: Limit, cursor: text().optional() });
export type SectionQueueInput = z.input<typeof SectionQueueInput>;

/**
 * The work-queue of the sections the actor processes: lines to evaluate or fulfil, emergencies first
 * (then urgent, then by needed-by time and age), each with its request and ward.
 */
export async function sectionQueue({ ctx, input }: { ctx: Context; input: SectionQueueInput }) {
  const data = parseInput(SectionQueueInput, input);
  const scope = readablePaths(ctx.actor, 'requests.process');
  const sections = await ctx.db
    .select({ id: procurementSections.id, path: locations.path })
    .from(procurementSections)
    .leftJoin(locations, eq(locations.id, procurementSections.fulfilledFromId))
    .where(
      and(
        eq(procurementSections.organisationId, ctx.actor.organisationId),
        data.sectionId ? eq(procurementSections.id, data.sectionId) : undefined,
      ),
    );
  const mine = sections
    .filter((s) => scope.all || (s.path !== null && scope.paths.some((p) => s.path!.startsWith(p))))
    .map((s) => s.id);
  if (mine.length === 0) throw forbidden('requests.process');
  const offset = decodeCursor(data.cursor, z.number().int().nonnegative()) ?? 0;
  const rows = await ctx.db
    .select({
      line: requestLines,
      request: {
        id: wardRequests.id,
        number: wardRequests.number,
        urgency: wardRequests.urgency,
        neededBy: wardRequests.neededBy,
        createdAt: wardRequests.createdAt,
      },
      destination: { id: locations.id, code: locations.code, name: locations.name },
      item: { code: items.code, name: items.name, unit: items.unit, supplyMode: items.supplyMode },
    })
    .from(requestLines)
    .innerJoin(wardRequests, eq(wardRequests.id, requestLines.requestId))
    .innerJoin(locations, eq(locations.id, wardRequests.destinationId))
    .innerJoin(items, eq(items.id, requestLines.itemId))
    .where(and(inArray(requestLines.sectionId, mine), inArray(requestLines.status, [...openLineStatuses])))
    .orderBy(
      urgencyRank,
      sql`${wardRequests.neededBy} nulls last`,
      asc(wardRequests.createdAt),
      asc(requestLines.lineNo),
    )
    .limit(data.limit + 1)
    .offset(offset);
  return {
    data: rows.slice(0, data.limit).map((r) => ({
      ...r.line,
      evaluatedAt: iso(r.line.evaluatedAt),
      updatedAt: iso(r.line.updatedAt),
      outstanding: outstanding(r.line),
      request: { ...r.request, neededBy: iso(r.request.neededBy), createdAt: iso(r.request.createdAt) },
      destination: r.destination,
      item: r.item,
    })),
    nextCursor: rows.length > data.limit ? encodeCursor(offset + data.limit) : null,
  };
}

/**
 * For follow-up: requests past their needed-by time (the actor's wards, or all of them for section staff)
 * and, for those who manage orders, purchase orders past their expected delivery.
 */
export async function listOverdue({ ctx }: { ctx: Context }) {
  const now = ctx.now();
  const where: (SQL | undefined)[] = [
    eq(wardRequests.organisationId, ctx.actor.organisationId),
    inArray(wardRequests.status, [...openRequestStatuses]),
    lt(wardRequests.neededBy, now),
  ];
  if (!can(ctx.actor, 'requests.process')) {
    const scope = readablePaths(ctx.actor, 'requests.receive');
    if (!scope.all)
      where.push(scope.paths.length ? or(...scope.paths.map((p) => like(locations.path, `${p}%`))) : sql`false`);
  }
  const requests = await ctx.db
    .select({
      id: wardRequests.id,
      number: wardRequests.number,
      urgency: wardRequests.urgency,
      status: wardRequests.status,
      neededBy: wardRequests.neededBy,
      destination: locations.code,
    })
    .from(wardRequests)
    .innerJoin(locations, eq(locations.id, wardRequests.destinationId))
    .where(and(...where))
    .orderBy(asc(wardRequests.neededBy));
  const orders = can(ctx.actor, 'orders.manage')
    ? await ctx.db
        .select({
          id: purchaseOrders.id,
          number: purchaseOrders.number,
          status: purchaseOrders.status,
          expectedAt: purchaseOrders.expectedAt,
          supplier: suppliers.name,
        })
        .from(purchaseOrders)
        .innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId))
        .where(
          and(
            eq(purchaseOrders.organisationId, ctx.actor.organisationId),
            inArray(purchaseOrders.status, ['OP', 'OD']),
            lt(purchaseOrders.expectedAt, now),
          ),
        )
        .orderBy(asc(purchaseOrders.expectedAt))
    : [];
  return {
    requests: requests.map((r) => ({ ...r, neededBy: iso(r.neededBy) })),
    purchaseOrders: orders.map((o) => ({ ...o, expectedAt: iso(o.expectedAt) })),
  };
}
