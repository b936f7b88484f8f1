import { and, asc, eq, sql } from 'drizzle-orm';
import { locations, wardRequests, type RequestOrigin, type Urgency } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { auditMany } from '../core/audit.ts';
import { withTransaction, type Actor, type Context } from '../core/context.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { nextDocumentNumbers } from '../core/numbering.ts';
import { anyOf, executeRows, pgArray } from '../core/sql-arrays.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation, type LocationRow } from '../locations/load-location.ts';
import { requestView, routeItems, type RequestView } from './request-view.ts';
import { auditOverride, checkRequestRules } from './request-rules.ts';
import { EmitRequestInput } from './schemas.ts';

/**
 * Where a request for `location` is delivered: a ward's request goes to its ward store (the first by code);
 * a store, a cabinet or a home receives its own. One query for any number of wards.
 */
export async function requestDestinations(
  ctx: Context,
  targets: readonly LocationRow[],
): Promise<Map<string, LocationRow>> {
  const destinations = new Map(targets.map((t) => [t.id, t]));
  const wards = targets.filter((t) => t.kind === 'ward').map((t) => t.id);
  if (wards.length) {
    const stores = await ctx.db
      .selectDistinctOn([locations.parentId])
      .from(locations)
      .where(and(anyOf(locations.parentId, wards), eq(locations.kind, 'ward_store')))
      .orderBy(locations.parentId, asc(locations.code));
    for (const store of stores) destinations.set(store.parentId!, store);
  }
  return destinations;
}

/** A request about to be written: its destination already resolved, its actor the one who emits it. */
export interface RequestDraft {
  actor: Actor;
  destination: LocationRow;
  urgency: Urgency;
  lines: { itemId: string; quantity: number }[];
  origin?: RequestOrigin;
  neededBy?: Date | null;
  note?: string | null;
  /** `location|item` of an automatic under-stock request (at most one open per key). */
  autoKey?: string | null;
}

/**
 * Writes requests, each routed line by line to the procurement section competent for its item's category
 * and valued at the contract price in force (else the reference price), numbered in its organisation's
 * sequence, audited under its own actor. Each draft's actor must be allowed to emit for its destination.
 * A constant number of statements for any number of drafts: the under-stock check emits a batch's requests
 * in one go. Returns ids and numbers in the drafts' order.
 */
export async function insertRequests(
  ctx: Context,
  drafts: readonly RequestDraft[],
): Promise<{ id: string; number: string }[]> {
  if (drafts.length === 0) return [];
  for (const d of drafts) authorize(d.actor, 'requests.emit', d.destination);
  const numbers: string[] = new Array(drafts.length);
  const routes = new Map<string, Awaited<ReturnType<typeof routeItems>>>();
  for (const organisationId of new Set(drafts.map((d) => d.actor.organisationId))) {
    const mine = drafts.flatMap((d, i) => (d.actor.organisationId === organisationId ? [i] : []));
    const orgCtx = { ...ctx, actor: { ...ctx.actor, organisationId } };
    const route = await routeItems(orgCtx, [...new Set(mine.flatMap((i) => drafts[i]!.lines.map((l) => l.itemId)))]);
    for (const i of mine) {
      const fields = drafts[i]!.lines.flatMap((l, n) => {
        const r = route.get(l.itemId);
        if (!r) return [{ field: `lines.${n}.itemId`, message: `Item ${l.itemId} does not exist.` }];
        if (!r.sectionId)
          return [{ field: `lines.${n}.itemId`, message: `No procurement section is competent for item ${r.code}.` }];
        return [];
      });
      if (fields.length) {
        const missing = drafts[i]!.lines.find((l) => !route.has(l.itemId));
        if (missing) throw notFound('item', missing.itemId);
        throw new DomainError('validation', 'no_section', {
          params: { item: route.get(drafts[i]!.lines.find((l) => !route.get(l.itemId)?.sectionId)!.itemId)!.code },
          fields,
        });
      }
    }
    routes.set(organisationId, route);
    for (const [n, number] of (await nextDocumentNumbers(orgCtx, 'request', mine.length)).entries())
      numbers[mine[n]!] = number;
  }
  const column = <T extends string | number | Date | null>(pick: (d: RequestDraft, i: number) => T) => drafts.map(pick);
  const inserted = await executeRows<{ id: string }>(
    ctx.db,
    sql`
    insert into ${wardRequests} (organisation_id, number, destination_id, urgency, needed_by, note, origin, auto_key,
      created_by, channel)
    select r.organisation_id, r.number, r.destination_id, r.urgency, r.needed_by, r.note, r.origin::jsonb, r.auto_key,
      r.created_by, r.channel
    from unnest(${pgArray(
      column((d) => d.actor.organisationId),
      'uuid',
    )}, ${pgArray(numbers, 'text')}, ${pgArray(
      column((d) => d.destination.id),
      'uuid',
    )},
      ${pgArray(
        column((d) => d.urgency),
        'text',
      )}, ${pgArray(
        column((d) => d.neededBy ?? null),
        'timestamptz',
      )}, ${pgArray(
        column((d) => d.note ?? null),
        'text',
      )},
      ${pgArray(
        column((d) => JSON.stringify(d.origin ?? { kind: 'manual' })),
        'text',
      )}, ${pgArray(
        column((d) => d.autoKey ?? null),
        'text',
      )}, ${pgArray(
        column((d) => d.actor.userId),
        'uuid',
      )},
      ${pgArray(
        column((d) => d.actor.channel),
        'text',
      )}) with ordinality as r(organisation_id, number, destination_id, urgency, needed_by, note, origin, auto_key,
        created_by, channel, n)
    order by r.n
    returning id`,
  );
  const lines = drafts.flatMap((d, i) =>
    d.lines.map((l, n) => ({
      requestId: inserted[i]!.id,
      lineNo: n + 1,
      itemId: l.itemId,
      quantity: l.quantity,
      route: routes.get(d.actor.organisationId)!.get(l.itemId)!,
    })),
  );
  await ctx.db.execute(sql`
    insert into request_lines (request_id, line_no, item_id, section_id, quantity_requested, unit_price)
    select * from unnest(${pgArray(
      lines.map((l) => l.requestId),
      'uuid',
    )}, ${pgArray(
      lines.map((l) => l.lineNo),
      'int',
    )}, ${pgArray(
      lines.map((l) => l.itemId),
      'uuid',
    )},
      ${pgArray(
        lines.map((l) => l.route.sectionId),
        'uuid',
      )}, ${pgArray(
        lines.map((l) => l.quantity),
        'int',
      )}, ${pgArray(
        lines.map((l) => l.route.unitPrice),
        'numeric',
      )})`);
  await auditMany(
    ctx,
    drafts.map((d, i) => ({
      actorId: d.actor.userId,
      channel: d.actor.channel,
      organisationId: d.actor.organisationId,
      action: 'requests.emit',
      entityType: 'request',
      entityId: inserted[i]!.id,
      detail: { number: numbers[i], urgency: d.urgency, lines: d.lines.length },
    })),
  );
  return inserted.map((r, i) => ({ id: r.id, number: numbers[i]! }));
}

/**
 * The location a request names and where it is delivered (a ward's store), checked against `requests.emit` there: every
 * channel's first step.
 */
export async function requestTarget(ctx: Context, destinationId: string) {
  const target = await loadLocation(ctx, destinationId);
  const destination = (await requestDestinations(ctx, [target])).get(target.id)!;
  authorize(ctx.actor, 'requests.emit', destination);
  return { target, destination };
}

/**
 * Emits a ward request under the rules every channel shares (`checkRequestRules`: a ward, store, cabinet or
 * home as destination; no line far above the usual consumption without an audited override). A ward's request goes to
 * its ward store. On save every line is routed to the
 * procurement section competent for its item's category; the ward sees one request, the sections their
 * own lines. Valued at the contract price where a contract is in force, else at the reference price.
 */
export async function emitRequest({
  ctx,
  input,
}: {
  ctx: Context;
  input: unknown;
}): Promise<RequestView & { replayed: boolean }> {
  const data = parseInput(EmitRequestInput, input);
  return withTransaction(ctx, async (tx) => {
    const { target, destination } = await requestTarget(tx, data.destinationId);
    return onceForKey(tx, 'requests.emit', data.idempotencyKey, data, async () => {
      const above = await checkRequestRules(tx, { target, lines: data.lines, override: data.override });
      const [request] = await insertRequests(tx, [
        {
          actor: tx.actor,
          destination,
          urgency: data.urgency,
          lines: data.lines,
          origin: data.origin ? { kind: 'declared', text: data.origin } : { kind: 'manual' },
          neededBy: data.neededBy ? new Date(data.neededBy) : null,
          note: data.note ?? null,
        },
      ]);
      if (data.override) await auditOverride(tx, request!.id, data.override, above);
      return requestView(tx, request!.id);
    });
  });
}
