import { and, asc, eq, sql } from 'drizzle-orm';
import { items, locations, lots, pickingListLines, pickingLists, wardRequests } from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { lotBalances } from '../stock/lot-balances.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { nextDocumentNumber } from '../core/numbering.ts';
import { assertTransition } from '../core/state-machine.ts';
import { iso, localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { isUsable } from '../lots/lot-rules.ts';
import { issueLines, type Pick } from './issue-lines.ts';
import { fulfilmentStatus, moveLine, outstanding, syncRequestStatus } from './line-status.ts';
import { loadRequest, type LineRow, type RequestRow } from './load-request.ts';
import { requestView } from './request-view.ts';
import { ConfirmPickingListInput, IssueNoteActionInput } from './schemas.ts';
import { authorizeSections } from './sections.ts';
import { pickingListTransitions } from './transitions.ts';

/**
 * Proposes a pharmacy picking list (proposta di scarico) for request lines: FEFO lots and quantities as
 * they stand now, nothing moved yet. Lines with no usable stock stay outstanding. Returns the list ids.
 */
export async function proposePickingList(
  ctx: Context,
  request: RequestRow & { lines: LineRow[] },
  fromId: string,
  lines: LineRow[],
): Promise<string[]> {
  const today = localDate(ctx.now());
  const stock = await lotBalances(ctx.db, { locationIds: [fromId], itemIds: lines.map((l) => l.itemId) }).orderBy(
    sql`${lots.expiry} nulls last`,
    asc(lots.lotCode),
  );
  const proposal: { line: LineRow; lotId: string; quantity: number }[] = [];
  for (const line of lines) {
    let remaining = outstanding(line);
    for (const s of stock.filter((s) => s.itemId === line.itemId && isUsable(s, today))) {
      const quantity = Math.min(remaining, s.quantity);
      if (quantity <= 0) break;
      proposal.push({ line, lotId: s.lotId, quantity });
      remaining -= quantity;
    }
  }
  if (proposal.length === 0) return [];
  const number = await nextDocumentNumber(ctx, 'picking_list');
  const [list] = await ctx.db
    .insert(pickingLists)
    .values({
      organisationId: ctx.actor.organisationId,
      number,
      requestId: request.id,
      fromLocationId: fromId,
      createdBy: ctx.actor.userId,
    })
    .returning();
  await ctx.db.insert(pickingListLines).values(
    proposal.map((p) => ({
      pickingListId: list!.id,
      requestLineId: p.line.id,
      itemId: p.line.itemId,
      lotId: p.lotId,
      quantity: p.quantity,
    })),
  );
  for (const line of new Set(proposal.map((p) => p.line))) {
    request.lines[request.lines.indexOf(line)] = await moveLine(ctx, request, line, 'propose', 'picking');
  }
  Object.assign(request, await syncRequestStatus(ctx, request, request.lines));
  return [list!.id];
}

/** A picking list as the pharmacy reads it: its request and ward, and each line with item, lot and expiry. */
export async function pickingListView(ctx: Context, id: string) {
  const [row] = await ctx.db
    .select({
      list: pickingLists,
      request: { id: wardRequests.id, number: wardRequests.number, urgency: wardRequests.urgency },
      to: { id: locations.id, code: locations.code, name: locations.name },
    })
    .from(pickingLists)
    .innerJoin(wardRequests, eq(wardRequests.id, pickingLists.requestId))
    .innerJoin(locations, eq(locations.id, wardRequests.destinationId))
    .where(and(eq(pickingLists.id, id), eq(pickingLists.organisationId, ctx.actor.organisationId)));
  if (!row) throw notFound('picking list', id);
  const lines = await ctx.db
    .select({
      id: pickingListLines.id,
      requestLineId: pickingListLines.requestLineId,
      quantity: pickingListLines.quantity,
      item: { id: items.id, code: items.code, name: items.name, nameEn: items.nameEn, unit: items.unit },
      lot: { id: lots.id, lotCode: lots.lotCode, expiry: lots.expiry, status: lots.status },
    })
    .from(pickingListLines)
    .innerJoin(items, eq(items.id, pickingListLines.itemId))
    .innerJoin(lots, eq(lots.id, pickingListLines.lotId))
    .where(eq(pickingListLines.pickingListId, id))
    .orderBy(asc(items.code), sql`${lots.expiry} nulls last`, asc(lots.lotCode));
  return {
    ...row.list,
    createdAt: iso(row.list.createdAt),
    closedAt: iso(row.list.closedAt),
    request: row.request,
    to: row.to,
    lines,
  };
}

/** A picking list for the staff who process requests where it is picked. */
export async function getPickingList({ ctx, id }: { ctx: Context; id: string }) {
  const list = await pickingListView(ctx, id);
  authorize(ctx.actor, 'requests.process', await loadLocation(ctx, list.fromLocationId));
  return list;
}

async function loadPickingList(ctx: Context, id: string) {
  const [list] = await ctx.db
    .select()
    .from(pickingLists)
    .where(and(eq(pickingLists.id, id), eq(pickingLists.organisationId, ctx.actor.organisationId)))
    .for('update');
  if (!list) throw notFound('picking list', id);
  const lines = await ctx.db.select().from(pickingListLines).where(eq(pickingListLines.pickingListId, id));
  return { ...list, lines };
}

/** Hands the lines of a closed picking list back: what was not issued is outstanding again. */
async function withdrawLines(ctx: Context, request: RequestRow & { lines: LineRow[] }, lineIds: string[]) {
  for (const line of request.lines.filter((l) => lineIds.includes(l.id) && l.status === 'picking')) {
    request.lines[request.lines.indexOf(line)] = await moveLine(
      ctx,
      request,
      line,
      'withdraw',
      fulfilmentStatus(line, line.quantityIssued, line.decision !== null),
    );
  }
}

/**
 * Confirms a picking list into issues, as proposed or as actually picked (another lot, a smaller
 * quantity): one issue note; lines left short stay outstanding. Pharmacy staff of the section only.
 */
export async function confirmPickingList({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(ConfirmPickingListInput, input);
  return withTransaction(ctx, async (tx) => {
    const head = await loadPickingList(tx, data.pickingListId);
    const request = await loadRequest(tx, head.requestId, { lock: true });
    const list = await loadPickingList(tx, data.pickingListId);
    const listed = new Set(list.lines.map((l) => l.requestLineId));
    await authorizeSections(
      tx,
      request.lines.filter((l) => listed.has(l.id)).map((l) => l.sectionId),
    );
    return onceForKey(tx, 'requests.confirm_picking', data.idempotencyKey, data, async () => {
      assertTransition(pickingListTransitions, 'picking list', list.status, 'confirm', 'confirmed');
      const picked =
        data.lines ?? list.lines.map((l) => ({ requestLineId: l.requestLineId, lotId: l.lotId, quantity: l.quantity }));
      const picks: Pick[] = picked.map((p, i) => {
        const line = request.lines.find((l) => l.id === p.requestLineId);
        if (!line || !listed.has(line.id))
          throw new DomainError('validation', 'validation', {
            fields: [{ field: `lines.${i}.requestLineId`, message: 'not a line of this picking list' }],
          });
        const already = picked
          .slice(0, i)
          .filter((q) => q.requestLineId === p.requestLineId)
          .reduce((s, q) => s + q.quantity, 0);
        if (already + p.quantity > outstanding(line))
          throw new DomainError('validation', 'validation', {
            fields: [{ field: `lines.${i}.quantity`, message: `more than the ${outstanding(line)} outstanding` }],
          });
        return { line, quantity: p.quantity, lotId: p.lotId };
      });
      const note = await issueLines(tx, request, list.fromLocationId, picks);
      await withdrawLines(tx, request, [...listed]);
      Object.assign(request, await syncRequestStatus(tx, request, request.lines));
      await tx.db
        .update(pickingLists)
        .set({ status: 'confirmed', issueNoteId: note.id, closedAt: sql`now()` })
        .where(eq(pickingLists.id, list.id));
      await audit(tx, {
        action: 'requests.confirm_picking',
        entityType: 'picking_list',
        entityId: list.id,
        detail: { issueNote: note.number, movementIds: note.movementIds, edited: data.lines !== undefined },
      });
      return { issueNoteId: note.id, request: await requestView(tx, request.id) };
    });
  });
}

/** Cancels a picking list proposal: its lines are outstanding again. */
export async function cancelPickingList({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(
    IssueNoteActionInput.pick({ reason: true }).extend({ pickingListId: ConfirmPickingListInput.shape.pickingListId }),
    input,
  );
  return withTransaction(ctx, async (tx) => {
    const head = await loadPickingList(tx, data.pickingListId);
    const request = await loadRequest(tx, head.requestId, { lock: true });
    const list = await loadPickingList(tx, data.pickingListId);
    const listed = [...new Set(list.lines.map((l) => l.requestLineId))];
    await authorizeSections(
      tx,
      request.lines.filter((l) => listed.includes(l.id)).map((l) => l.sectionId),
    );
    assertTransition(pickingListTransitions, 'picking list', list.status, 'cancel', 'cancelled');
    await withdrawLines(tx, request, listed);
    await syncRequestStatus(tx, request, request.lines);
    await tx.db
      .update(pickingLists)
      .set({ status: 'cancelled', closedAt: sql`now()` })
      .where(eq(pickingLists.id, list.id));
    await audit(tx, {
      action: 'requests.cancel_picking',
      entityType: 'picking_list',
      entityId: list.id,
      detail: { reason: data.reason },
    });
    return { request: await requestView(tx, request.id) };
  });
}
