import { and, asc, eq } from 'drizzle-orm';
import { issueNoteLines, issueNotes, items, locations, lots } from '../../db/schema/index.ts';
import { authorize, can } from '../auth/permissions.ts';
import { audit, movementIds } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { forbidden, notFound } from '../core/errors.ts';
import { onceForKey } from '../core/idempotency.ts';
import { assertTransition } from '../core/state-machine.ts';
import { parseInput } from '../core/validate.ts';
import { loadLocation } from '../locations/load-location.ts';
import { transitLocation } from '../locations/transit.ts';
import { moveStock } from '../stock/move-stock.ts';
import { reverseFlowMovement } from '../stock/reverse-movement.ts';
import { fulfilmentStatus, moveLine, syncRequestStatus } from './line-status.ts';
import { loadRequest } from './load-request.ts';
import { IssueNoteActionInput } from './schemas.ts';
import { issueNoteTransitions } from './transitions.ts';
import { iso } from '../core/time.ts';

/** An issue note as printed: header, from / to, and every line with item, lot, expiry and quantity. */
export async function issueNoteView(ctx: Context, id: string) {
  const [note] = await ctx.db
    .select()
    .from(issueNotes)
    .where(and(eq(issueNotes.id, id), eq(issueNotes.organisationId, ctx.actor.organisationId)));
  if (!note) throw notFound('issue note', id);
  const [from, to] = await Promise.all(
    [note.fromLocationId, note.toLocationId].map((l) =>
      ctx.db
        .select({ id: locations.id, code: locations.code, name: locations.name })
        .from(locations)
        .where(eq(locations.id, l))
        .then((r) => r[0]!),
    ),
  );
  const lines = await ctx.db
    .select({
      id: issueNoteLines.id,
      requestLineId: issueNoteLines.requestLineId,
      quantity: issueNoteLines.quantity,
      movementId: issueNoteLines.movementId,
      item: { id: items.id, code: items.code, name: items.name, nameEn: items.nameEn, unit: items.unit },
      lot: { id: lots.id, lotCode: lots.lotCode, expiry: lots.expiry },
    })
    .from(issueNoteLines)
    .innerJoin(items, eq(items.id, issueNoteLines.itemId))
    .innerJoin(lots, eq(lots.id, issueNoteLines.lotId))
    .where(eq(issueNoteLines.issueNoteId, id))
    .orderBy(asc(items.code), asc(lots.expiry));
  return {
    ...note,
    issuedAt: iso(note.issuedAt),
    takenAt: iso(note.takenAt),
    reversedAt: iso(note.reversedAt),
    from: from!,
    to: to!,
    lines,
  };
}

/** An issue note for its readers: staff who receive at its destination or process at its source. */
export async function getIssueNote({ ctx, id }: { ctx: Context; id: string }) {
  const note = await issueNoteView(ctx, id);
  const [to, from] = await Promise.all([loadLocation(ctx, note.toLocationId), loadLocation(ctx, note.fromLocationId)]);
  if (!can(ctx.actor, 'requests.receive', to) && !can(ctx.actor, 'requests.process', from))
    throw forbidden('requests.read');
  return note;
}

async function lockNote(ctx: Context, id: string) {
  const [note] = await ctx.db
    .select()
    .from(issueNotes)
    .where(and(eq(issueNotes.id, id), eq(issueNotes.organisationId, ctx.actor.organisationId)))
    .for('update');
  if (!note) throw notFound('issue note', id);
  const lines = await ctx.db.select().from(issueNoteLines).where(eq(issueNoteLines.issueNoteId, id));
  return { ...note, lines };
}

/**
 * The ward takes an issue note in charge (presa in carico): its goods move from in-transit to the ward's
 * store, lot by lot. After this the note can no longer be reversed.
 */
export async function takeInCharge({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(IssueNoteActionInput, input);
  return withTransaction(ctx, async (tx) => {
    const note = await lockNote(tx, data.issueNoteId);
    authorize(tx.actor, 'requests.receive', await loadLocation(tx, note.toLocationId));
    return onceForKey(tx, 'requests.take_in_charge', data.idempotencyKey, data, async () => {
      assertTransition(issueNoteTransitions, 'issue note', note.status, 'take', 'taken_in_charge');
      const transit = await transitLocation(tx);
      const posted = await moveStock(tx, {
        kind: 'transfer',
        fromLocationId: transit.id,
        toLocationId: note.toLocationId,
        lines: note.lines.map((l) => ({ itemId: l.itemId, lotId: l.lotId, quantity: l.quantity })),
        requireUsable: false,
        documentType: 'issue_note',
        documentId: note.number,
      });
      await tx.db
        .update(issueNotes)
        .set({ status: 'taken_in_charge', takenBy: tx.actor.userId, takenAt: tx.now() })
        .where(eq(issueNotes.id, note.id));
      await audit(tx, {
        action: 'requests.take_in_charge',
        entityType: 'issue_note',
        entityId: note.id,
        detail: { number: note.number, ...movementIds(posted) },
      });
      return issueNoteView(tx, note.id);
    });
  });
}

/**
 * Reverses an issue note the ward has not taken in charge yet: every issue movement is reversed (never
 * edited), the goods are back in the warehouse, and the request lines are outstanding again.
 */
export async function reverseIssueNote({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(IssueNoteActionInput.required({ reason: true }), input);
  return withTransaction(ctx, async (tx) => {
    const note = await lockNote(tx, data.issueNoteId);
    const request = note.requestId ? await loadRequest(tx, note.requestId, { lock: true }) : null;
    authorize(tx.actor, 'requests.process', await loadLocation(tx, note.fromLocationId));
    return onceForKey(tx, 'requests.reverse_issue', data.idempotencyKey, data, async () => {
      assertTransition(issueNoteTransitions, 'issue note', note.status, 'reverse', 'reversed');
      const reversals: { id: number }[] = [];
      for (const line of note.lines)
        reversals.push(
          ...(await reverseFlowMovement({ ctx: tx, input: { movementId: line.movementId, reason: data.reason } }))
            .movements,
        );
      if (request) {
        for (const line of request.lines) {
          const back = note.lines.filter((l) => l.requestLineId === line.id).reduce((s, l) => s + l.quantity, 0);
          if (back === 0) continue;
          const quantityIssued = line.quantityIssued - back;
          const evaluated = line.decision !== null;
          request.lines[request.lines.indexOf(line)] = await moveLine(
            tx,
            request,
            line,
            'reverse',
            fulfilmentStatus(line, quantityIssued, evaluated),
            {
              quantityIssued,
              ...(quantityIssued === 0 && !evaluated ? { fulfilledBeforeEvaluation: false } : {}),
            },
          );
        }
        await syncRequestStatus(tx, request, request.lines);
      }
      await tx.db
        .update(issueNotes)
        .set({ status: 'reversed', reversedAt: tx.now(), reason: data.reason })
        .where(eq(issueNotes.id, note.id));
      await audit(tx, {
        action: 'requests.reverse_issue',
        entityType: 'issue_note',
        entityId: note.id,
        detail: { number: note.number, ...movementIds(reversals), reason: data.reason },
      });
      return issueNoteView(tx, note.id);
    });
  });
}
