import { issueNoteLines, issueNotes, stockBalances } from '../../db/schema/index.ts';
import { lotBalances } from '../stock/lot-balances.ts';
import type { Context } from '../core/context.ts';
import { nextDocumentNumber } from '../core/numbering.ts';
import { localDate } from '../core/time.ts';
import { transitLocation } from '../locations/transit.ts';
import { isUsable } from '../lots/lot-rules.ts';
import { moveStock } from '../stock/move-stock.ts';
import { fulfilmentStatus, moveLine, syncRequestStatus } from './line-status.ts';
import type { LineRow, RequestRow } from './load-request.ts';

export interface Pick {
  line: LineRow;
  quantity: number;
  /** A named lot (picking list, goods just received); FEFO when absent. */
  lotId?: string;
}

/**
 * Issues request lines from a warehouse or pharmacy with one issue note (bolla di scarico): the stock
 * leaves `fromId` for the in-transit location until the ward takes it in charge; each line's issued
 * quantity and status follow. The request must be locked by the caller.
 */
export async function issueLines(
  ctx: Context,
  request: RequestRow & { lines: LineRow[] },
  fromId: string,
  picks: Pick[],
) {
  const transit = await transitLocation(ctx);
  const number = await nextDocumentNumber(ctx, 'issue_note');
  const posted = await moveStock(ctx, {
    kind: 'issue',
    fromLocationId: fromId,
    toLocationId: transit.id,
    lines: picks.map((p) => ({ itemId: p.line.itemId, quantity: p.quantity, ...(p.lotId ? { lotId: p.lotId } : {}) })),
    requireUsable: true,
    documentType: 'issue_note',
    documentId: number,
  });
  const [note] = await ctx.db
    .insert(issueNotes)
    .values({
      organisationId: ctx.actor.organisationId,
      number,
      requestId: request.id,
      fromLocationId: fromId,
      toLocationId: request.destinationId,
      issuedBy: ctx.actor.userId,
      issuedAt: ctx.now(),
    })
    .returning();
  await ctx.db.insert(issueNoteLines).values(
    posted.map((m) => ({
      issueNoteId: note!.id,
      requestLineId: picks[m.lineIndex]!.line.id,
      itemId: m.itemId,
      lotId: m.lotId,
      quantity: m.quantity,
      movementId: m.id,
    })),
  );
  for (const [index, pick] of picks.entries()) {
    const issued = posted.filter((m) => m.lineIndex === index).reduce((sum, m) => sum + m.quantity, 0);
    const line = request.lines.find((l) => l.id === pick.line.id)!;
    const quantityIssued = line.quantityIssued + issued;
    const reached = fulfilmentStatus(line, quantityIssued, line.decision !== null);
    // A pass-through line received in part stays ordered: the rest is still due on its purchase order.
    const to = line.status === 'ordered' && reached !== 'issued' ? 'ordered' : reached;
    const next = await moveLine(ctx, request, line, 'issue', to, {
      quantityIssued,
      fulfilledBeforeEvaluation: line.fulfilledBeforeEvaluation || line.decision === null,
    });
    request.lines[request.lines.indexOf(line)] = next;
  }
  Object.assign(request, await syncRequestStatus(ctx, request, request.lines));
  return { ...note!, movementIds: posted.map((m) => m.id) };
}

/**
 * Usable stock per item at a location (not expired, quarantined or recalled), with the balances locked,
 * so a partial fulfilment decides on figures no one else can change before it commits.
 */
export async function usableStock(ctx: Context, locationId: string, itemIds: string[]): Promise<Map<string, number>> {
  if (itemIds.length === 0) return new Map();
  const today = localDate(ctx.now());
  const rows = await lotBalances(ctx.db, { locationIds: [locationId], itemIds })
    .orderBy(stockBalances.locationId, stockBalances.lotId)
    .for('update', { of: stockBalances });
  const totals = new Map<string, number>();
  for (const r of rows) if (isUsable(r, today)) totals.set(r.itemId, (totals.get(r.itemId) ?? 0) + r.quantity);
  return totals;
}

export type IssueNoteRow = typeof issueNotes.$inferSelect;
