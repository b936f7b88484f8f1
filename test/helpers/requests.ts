import { and, asc, eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createCategory, createSection } from '../../api/catalogue/reference-data.ts';
import { createItem } from '../../api/catalogue/items.ts';
import type { Actor, Context } from '../../api/core/context.ts';
import type { ErrorCode } from '../../api/core/errors.ts';
import type { MessageKey } from '../../api/core/messages/index.ts';
import { emitRequest } from '../../api/requests/emit-request.ts';
import { evaluateLines } from '../../api/requests/evaluate-lines.ts';
import { receiveGoods } from '../../api/stock/receive-goods.ts';
import {
  documentCounters,
  issueNoteLines,
  issueNotes,
  locations,
  movements,
  pickingListLines,
  pickingLists,
  purchaseOrderLines,
  purchaseOrders,
  requestLines,
  wardRequests,
} from '../../db/schema/index.ts';
import { buildHospital, contextFor } from './fixture.ts';
import { failsWith, lotByCode, snapshot, type Snapshot } from './ledger.ts';
import { receiveDelivery } from './stock-moves.ts';

/**
 * `buildHospital` plus what ward requests need: a FARMACIA section fulfilled from the pharmacy with a FARM
 * category and a drug, a pass-through stent bought from the supplier for each request, and stock:
 * gloves in two lots at the warehouse (100 expiring first, 200 later), syringes (50), and the drug in two
 * lots at the pharmacy (30 expiring first, 40 later).
 */
export async function buildRequestsHospital(db: Database, code = 'REQ') {
  const h = await buildHospital(db, code);
  const pharmacySection = await createSection({
    ctx: h.sys,
    input: { code: 'FARMACIA', name: 'Farmacia', fulfilledFromId: h.pharmacy.id },
  });
  const drugCategory = await createCategory({
    ctx: h.sys,
    input: { code: 'FARM', name: 'Farmaci', nameEn: 'Drugs', sectionId: pharmacySection.id },
  });
  const drug = await createItem({
    ctx: h.sys,
    input: {
      code: 'FARM-PARA-1G',
      name: 'Paracetamolo 1 g fiale',
      nameEn: 'Paracetamol 1 g vials',
      categoryId: drugCategory.id,
      unit: 'fl',
      referencePrice: 1.2,
    },
  });
  const stent = await createItem({
    ctx: h.sys,
    input: {
      code: 'DM-STENT-3',
      name: 'Stent coronarico 3 mm',
      nameEn: 'Coronary stent 3 mm',
      categoryId: h.category.id,
      unit: 'pz',
      supplyMode: 'pass_through',
      supplierId: h.supplier.id,
      referencePrice: 450,
    },
  });
  await receiveDelivery(h, 'DDT-STOCK-1', [
    { itemId: h.gloves.id, lotCode: 'G-EARLY', expiry: '2027-01-31', quantity: 100, unitPrice: 0.05 },
    { itemId: h.gloves.id, lotCode: 'G-LATE', expiry: '2027-06-30', quantity: 200, unitPrice: 0.05 },
    { itemId: h.syringe.id, lotCode: 'S-1', expiry: '2027-03-31', quantity: 50, unitPrice: 0.12 },
  ]);
  await receiveGoods({
    ctx: h.sys,
    input: {
      locationId: h.pharmacy.id,
      lines: [
        { itemId: drug.id, lotCode: 'P-EARLY', expiry: '2027-02-28', quantity: 30, unitPrice: 1.2 },
        { itemId: drug.id, lotCode: 'P-LATE', expiry: '2027-09-30', quantity: 40, unitPrice: 1.2 },
      ],
    },
  });
  const lots = {
    glovesEarly: await lotByCode(db, h.gloves.id, 'G-EARLY'),
    glovesLate: await lotByCode(db, h.gloves.id, 'G-LATE'),
    syringe: await lotByCode(db, h.syringe.id, 'S-1'),
    drugEarly: await lotByCode(db, drug.id, 'P-EARLY'),
    drugLate: await lotByCode(db, drug.id, 'P-LATE'),
  };
  return { ...h, pharmacySection, drugCategory, drug, stent, lots };
}

export type RequestsHospital = Awaited<ReturnType<typeof buildRequestsHospital>>;

/** A context for `actor` whose clock reads `at` (overdue requests and orders, expiry on another day). */
type Who = keyof RequestsHospital['actors'];

/** What `emit` may change: who emits (the Cardiology nurse), for where (Cardiology), how urgent, needed by when. */
export interface EmitOptions {
  who?: Who;
  destinationId?: string;
  urgency?: 'normal' | 'urgent' | 'emergency';
  neededBy?: string;
}

/**
 * A suite's steps on the requests hospital `h()` (read at each call, once `beforeAll` has built it): a person's
 * context, a request emitted for `lines` ([item id, quantity]), and lines approved by a section's person.
 */
export function requestSteps(db: () => Database, h: () => RequestsHospital) {
  const as = (who: Who) => contextFor(db(), h().actors[who]);
  const emit = (lines: Array<[string, number]>, options: EmitOptions = {}) =>
    emitRequest({
      ctx: as(options.who ?? 'nurse'),
      input: {
        destinationId: options.destinationId ?? h().cardio.id,
        urgency: options.urgency ?? 'normal',
        ...(options.neededBy ? { neededBy: options.neededBy } : {}),
        lines: lines.map(([itemId, quantity]) => ({ itemId, quantity })),
      },
    });
  const approve = (who: Who, lineIds: string[]) =>
    evaluateLines({ ctx: as(who), input: { decisions: lineIds.map((lineId) => ({ lineId, decision: 'approve' })) } });
  return { as, emit, approve };
}

export const contextAt = (db: Database, actor: Actor, at: Date): Context => ({
  ...contextFor(db, actor),
  now: () => at,
});

export interface RequestSnapshot extends Snapshot {
  counters: Record<string, number>;
  requests: Record<string, string>;
  lines: Record<string, string>;
  issueNotes: Record<string, string>;
  issueNoteLines: number;
  pickingLists: Record<string, string>;
  pickingListLines: number;
  purchaseOrders: Record<string, string>;
  purchaseOrderLines: Record<string, number>;
}

/**
 * `snapshot` plus every request document and the state of each: requests, lines (status and quantities,
 * decision), issue notes, picking lists, purchase orders (and received quantities), document counters.
 */
export async function requestSnapshot(db: Database): Promise<RequestSnapshot> {
  const count = async (table: typeof issueNoteLines | typeof pickingListLines) =>
    (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
  const lines = await db.select().from(requestLines).orderBy(asc(requestLines.id));
  return {
    ...(await snapshot(db)),
    counters: Object.fromEntries(
      (await db.select().from(documentCounters)).map((c) => [`${c.organisationId}|${c.kind}|${c.year}`, c.last]),
    ),
    requests: Object.fromEntries((await db.select().from(wardRequests)).map((r) => [r.id, r.status])),
    lines: Object.fromEntries(
      lines.map((l) => [
        l.id,
        `${l.status} ${l.quantityApproved ?? '-'} ${l.quantityIssued} ${l.decision ?? '-'} ${l.fulfilledBeforeEvaluation}`,
      ]),
    ),
    issueNotes: Object.fromEntries((await db.select().from(issueNotes)).map((n) => [n.id, n.status])),
    issueNoteLines: await count(issueNoteLines),
    pickingLists: Object.fromEntries((await db.select().from(pickingLists)).map((p) => [p.id, p.status])),
    pickingListLines: await count(pickingListLines),
    purchaseOrders: Object.fromEntries((await db.select().from(purchaseOrders)).map((o) => [o.id, o.status])),
    purchaseOrderLines: Object.fromEntries(
      (await db.select().from(purchaseOrderLines)).map((l) => [l.id, l.quantityReceived]),
    ),
  };
}

/** Runs a failing request action and checks it wrote nothing: no document, no state change, no movement. */
export async function failsWithoutRequestTrace(
  db: Database,
  run: () => Promise<unknown>,
  expected: { code: ErrorCode; key?: MessageKey; field?: string },
) {
  const before = await requestSnapshot(db);
  const error = await failsWith(run(), expected);
  expect(await requestSnapshot(db)).toEqual(before);
  return error;
}

/** How many request documents exist (all organisations). */
export async function documentCounts(db: Database) {
  const n = async (
    table: typeof wardRequests | typeof requestLines | typeof issueNotes | typeof purchaseOrders | typeof pickingLists,
  ) => (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
  return {
    requests: await n(wardRequests),
    lines: await n(requestLines),
    issueNotes: await n(issueNotes),
    purchaseOrders: await n(purchaseOrders),
    pickingLists: await n(pickingLists),
  };
}

/** Issue notes of a request, oldest first, each with its lines (lot code and expiry included). */
export async function issueNotesOf(db: Database, requestId: string) {
  const notes = await db
    .select()
    .from(issueNotes)
    .where(eq(issueNotes.requestId, requestId))
    .orderBy(asc(issueNotes.number));
  return Promise.all(
    notes.map(async (n) => ({
      ...n,
      lines: await db.select().from(issueNoteLines).where(eq(issueNoteLines.issueNoteId, n.id)),
    })),
  );
}

/** The organisation's in-transit location (created by the first issue note). */
export async function transitOf(db: Database, organisationId: string) {
  const [row] = await db
    .select()
    .from(locations)
    .where(and(eq(locations.organisationId, organisationId), eq(locations.kind, 'transit')));
  if (!row) throw new Error('no transit location yet');
  return row;
}

/** The movements booked under a document number (issue note, delivery note), in ledger order. */
export const movementsOf = (db: Database, documentId: string) =>
  db.select().from(movements).where(eq(movements.documentId, documentId)).orderBy(asc(movements.id));

/** A picking list with its lines (in no particular order). */
export async function pickingListOf(db: Database, id: string) {
  const [list] = await db.select().from(pickingLists).where(eq(pickingLists.id, id));
  if (!list) throw new Error(`no picking list ${id}`);
  return { ...list, lines: await db.select().from(pickingListLines).where(eq(pickingListLines.pickingListId, id)) };
}

/** Document numbers of one organisation, by kind, in order. */
export async function documentNumbers(db: Database, organisationId: string) {
  const numbers = async (
    table: typeof wardRequests | typeof issueNotes | typeof pickingLists | typeof purchaseOrders,
  ) =>
    (
      await db
        .select({ number: table.number })
        .from(table)
        .where(eq(table.organisationId, organisationId))
        .orderBy(asc(table.number))
    ).map((r) => r.number);
  return {
    requests: await numbers(wardRequests),
    issueNotes: await numbers(issueNotes),
    pickingLists: await numbers(pickingLists),
    purchaseOrders: await numbers(purchaseOrders),
  };
}
