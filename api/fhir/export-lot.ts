import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  issueNoteLines,
  issueNotes,
  items,
  locations,
  movements,
  requestLines,
  wardRequests,
} from '../../db/schema/index.ts';
import { authorize } from '../auth/permissions.ts';
import { detailScope } from '../auth/read-scope.ts';
import type { Context } from '../core/context.ts';
import { iso, localDate } from '../core/time.ts';
import { parseInput } from '../core/validate.ts';
import { lotHolders } from '../lots/lot-ledger.ts';
import { loadLot } from '../lots/load-lot.ts';
import { effectiveStatus } from '../lots/lot-rules.ts';
import { bundle, inventoryReport, supplyDelivery, supplyRequest } from './resources.ts';

export const ExportLotInput = z.object({ lotId: z.uuid() });

/**
 * A lot's trace and stock as FHIR R5: a collection Bundle with an InventoryReport of where it is on hand now,
 * a SupplyDelivery per issue or transfer of it (entered-in-error when reversed), and the SupplyRequest of each
 * ward request line it was issued against. Read from the ledger. The read rule is `detailScope`: the report lists
 * every holder's quantity on hand (totals), deliveries and requests only where they touch a location the actor may
 * read.
 */
export async function exportLotFhir({ ctx, input }: { ctx: Context; input: z.input<typeof ExportLotInput> }) {
  const data = parseInput(ExportLotInput, input);
  authorize(ctx.actor, 'lots.read');
  const scope = detailScope(ctx.actor);
  const lot = await loadLot(ctx, data.lotId);
  const [item] = await ctx.db
    .select({ id: items.id, code: items.code, name: items.name, gtin: items.gtin, unit: items.unit })
    .from(items)
    .where(eq(items.id, lot.itemId));
  const now = iso(ctx.now());
  const status = effectiveStatus(lot, localDate(ctx.now()));
  const fhirLot = { id: lot.id, lotCode: lot.lotCode, expiry: lot.expiry };
  const holders = (await lotHolders(ctx, lot.id)).filter((h) => h.onHand > 0);
  const report = inventoryReport({
    id: `lot-${lot.id}`,
    reportedAt: now,
    listings: holders.map((h) => ({
      location: h.location,
      lines: [{ item: item!, lot: fhirLot, quantity: h.onHand, status }],
    })),
  });

  const moves = await ctx.db
    .select({
      id: movements.id,
      kind: movements.kind,
      quantity: movements.quantity,
      occurredAt: movements.occurredAt,
      from: movements.fromLocationId,
      to: movements.toLocationId,
      documentType: movements.documentType,
      documentId: movements.documentId,
      reversed: sql<boolean>`exists (select 1 from movements r where r.reverses_id = ${movements.id})`,
    })
    .from(movements)
    .where(and(eq(movements.lotId, lot.id), inArray(movements.kind, ['issue', 'transfer'])))
    .orderBy(movements.id);
  const placeIds = [...new Set(moves.flatMap((m) => [m.from, m.to]).filter((x): x is string => x !== null))];
  const places = new Map(
    (placeIds.length
      ? await ctx.db
          .select({
            id: locations.id,
            code: locations.code,
            name: locations.name,
            organisationId: locations.organisationId,
            path: locations.path,
            kind: locations.kind,
          })
          .from(locations)
          .where(inArray(locations.id, placeIds))
      : []
    ).map((p) => [p.id, p]),
  );

  const lines = await ctx.db
    .selectDistinct({
      lineId: requestLines.id,
      noteNumber: issueNotes.number,
      requestNumber: wardRequests.number,
      status: wardRequests.status,
      lineStatus: requestLines.status,
      urgency: wardRequests.urgency,
      quantity: requestLines.quantityRequested,
      authoredOn: wardRequests.createdAt,
      neededBy: wardRequests.neededBy,
      to: { id: locations.id, code: locations.code, name: locations.name },
      toRef: { id: locations.id, organisationId: locations.organisationId, path: locations.path, kind: locations.kind },
      fromId: issueNotes.fromLocationId,
    })
    .from(issueNoteLines)
    .innerJoin(issueNotes, eq(issueNotes.id, issueNoteLines.issueNoteId))
    .innerJoin(requestLines, eq(requestLines.id, issueNoteLines.requestLineId))
    .innerJoin(wardRequests, eq(wardRequests.id, requestLines.requestId))
    .innerJoin(locations, eq(locations.id, wardRequests.destinationId))
    .where(eq(issueNoteLines.lotId, lot.id));
  // One pass over what was read: a delivery or request shows when either of its ends is a location the actor reads.
  const seen = (id: string | null) => id !== null && places.has(id) && scope.sees(places.get(id)!);
  const shownMoves = moves.filter((m) => scope.all || seen(m.from) || seen(m.to));
  const shownLines = lines.filter((l) => scope.all || scope.sees(l.toRef) || seen(l.fromId));
  const requestOfNote = new Map(shownLines.map((l) => [l.noteNumber, l.lineId]));
  const place = (id: string | null) => {
    const p = id ? places.get(id) : undefined;
    return p ? { id: p.id, code: p.code, name: p.name } : null;
  };
  const deliveries = shownMoves.map((m) =>
    supplyDelivery({
      movementId: m.id,
      kind: m.kind,
      reversed: m.reversed,
      quantity: m.quantity,
      occurredAt: iso(m.occurredAt),
      item: item!,
      lot: fhirLot,
      from: place(m.from),
      to: place(m.to),
      requestId: m.documentType === 'issue_note' && m.documentId ? (requestOfNote.get(m.documentId) ?? null) : null,
    }),
  );
  const requests = shownLines.map((l) =>
    supplyRequest({
      lineId: l.lineId,
      requestNumber: l.requestNumber,
      status: l.status,
      lineStatus: l.lineStatus,
      urgency: l.urgency,
      item: item!,
      quantity: l.quantity,
      authoredOn: iso(l.authoredOn),
      neededBy: l.neededBy ? iso(l.neededBy) : null,
      deliverTo: l.to,
      deliverFrom: place(l.fromId),
    }),
  );
  return bundle(`lot-${lot.id}`, now, [report, ...deliveries, ...requests]);
}
