import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './access.ts';
import { items, lots } from './catalogue.ts';
import { inList } from './checks.ts';
import { channels, movements } from './ledger.ts';
import { locations, organisations, procurementSections, suppliers } from './organisation.ts';

export const urgencies = ['normal', 'urgent', 'emergency'] as const;
export type Urgency = (typeof urgencies)[number];
export const requestStatuses = ['submitted', 'in_progress', 'completed', 'cancelled'] as const;
export type RequestStatus = (typeof requestStatuses)[number];
export const lineStatuses = [
  'routed',
  'approved',
  'rejected',
  'picking',
  'ordered',
  'partially_issued',
  'issued',
  'cancelled',
] as const;
export type LineStatus = (typeof lineStatuses)[number];
/**
 * The open statuses, defined once beside the enums because `db/` imports nothing from `api/`; the state machines in
 * `api/requests/transitions.ts` use the same lists (an open request or line still has a forward move; a closed one
 * moves only back, by a reopen or a reversed issue). The partial index below, the queues and the reorder check too.
 */
export const openRequestStatuses = ['submitted', 'in_progress'] as const satisfies readonly RequestStatus[];
export const openLineStatuses = [
  'routed',
  'approved',
  'picking',
  'ordered',
  'partially_issued',
] as const satisfies readonly LineStatus[];
export const evaluationDecisions = ['approved', 'reduced', 'rejected'] as const;
export const issueNoteStatuses = ['issued', 'taken_in_charge', 'reversed'] as const;
export type IssueNoteStatus = (typeof issueNoteStatuses)[number];
export const purchaseOrderStatuses = ['PL', 'FP', 'RR', 'OP', 'OD', 'CL', 'cancelled'] as const;
export type PurchaseOrderStatus = (typeof purchaseOrderStatuses)[number];
/**
 * Why a request exists, as data: `manual` (a person, no reason given), `declared` (the emitter's own words, e.g. a
 * cabinet's integration), `under_stock` (the automatic check: what triggered it and the policy's figures).
 */
export type RequestOrigin =
  | { kind: 'manual' }
  | { kind: 'declared'; text: string }
  | ({ kind: 'under_stock' } & UnderStockReason);
/**
 * The under-stock check's figures: what triggered it, stock on hand and on order, the policy (R, L, W, B), a home's
 * forecast.
 */
export interface UnderStockReason {
  trigger: Record<string, unknown>;
  onHand: number;
  onOrder: number;
  R: number;
  L: number;
  W: number;
  B: number;
  maxStock: number;
  plan?: number | null;
  real?: number | null;
  rateSource?: string;
  runOutDate?: string | null;
}
export const pickingListStatuses = ['proposed', 'confirmed', 'cancelled'] as const;
export type PickingListStatus = (typeof pickingListStatuses)[number];
export const documentKinds = ['request', 'issue_note', 'purchase_order', 'picking_list'] as const;
export type DocumentKind = (typeof documentKinds)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Gap-free document numbers per organisation, kind and year (RIC-2026-000001, BS-…, OA-…, PR-…). */
export const documentCounters = pgTable(
  'document_counters',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    kind: text('kind', { enum: documentKinds }).notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.kind, t.year] })],
);

/** A ward request (richiesta da reparto): one request for the ward, its lines routed to sections. */
export const wardRequests = pgTable(
  'ward_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    number: text('number').notNull(),
    /** Where the goods go: a ward store, a cabinet, a patient's home. */
    destinationId: uuid('destination_id')
      .notNull()
      .references(() => locations.id),
    urgency: text('urgency', { enum: urgencies }).notNull(),
    status: text('status', { enum: requestStatuses }).notNull().default('submitted'),
    neededBy: ts('needed_by'),
    note: text('note'),
    /** Why the request was made: by hand, the emitter's own words, or the under-stock check's figures (R, L, W, B). */
    origin: jsonb('origin').$type<RequestOrigin>().notNull().default({ kind: 'manual' }),
    /** `location|item` of an automatic under-stock request: at most one open per location × item. */
    autoKey: text('auto_key'),
    createdBy: uuid('created_by').references(() => users.id),
    channel: text('channel', { enum: channels }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ward_requests_number_uq').on(t.organisationId, t.number),
    index('ward_requests_destination_ix').on(t.destinationId, t.status),
    index('ward_requests_open_ix').on(t.organisationId, t.status, t.neededBy),
    uniqueIndex('ward_requests_auto_uq')
      .on(t.autoKey)
      .where(sql`auto_key is not null and ${inList('status', openRequestStatuses)}`),
    check('ward_requests_urgency_ck', inList('urgency', urgencies)),
    check('ward_requests_status_ck', inList('status', requestStatuses)),
  ],
);

/**
 * A request line: requested, approved (after evaluation), issued; outstanding is what is approved (or,
 * for an emergency fulfilled before evaluation, requested) and neither issued nor cancelled.
 */
export const requestLines = pgTable(
  'request_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => wardRequests.id),
    lineNo: integer('line_no').notNull(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    sectionId: uuid('section_id')
      .notNull()
      .references(() => procurementSections.id),
    status: text('status', { enum: lineStatuses }).notNull().default('routed'),
    quantityRequested: integer('quantity_requested').notNull(),
    quantityApproved: integer('quantity_approved'),
    quantityIssued: integer('quantity_issued').notNull().default(0),
    decision: text('decision', { enum: evaluationDecisions }),
    decisionReason: text('decision_reason'),
    evaluatedBy: uuid('evaluated_by').references(() => users.id),
    evaluatedAt: ts('evaluated_at'),
    /** An emergency line issued before its evaluation; the evaluation is recorded afterwards. */
    fulfilledBeforeEvaluation: boolean('fulfilled_before_evaluation').notNull().default(false),
    unitPrice: numeric('unit_price', { precision: 12, scale: 4 }),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('request_lines_no_uq').on(t.requestId, t.lineNo),
    index('request_lines_queue_ix').on(t.sectionId, t.status),
    index('request_lines_item_ix').on(t.itemId),
    check('request_lines_status_ck', inList('status', lineStatuses)),
    check(
      'request_lines_quantities_ck',
      sql`quantity_requested > 0 and quantity_issued >= 0 and (quantity_approved is null or quantity_approved between 0 and quantity_requested)`,
    ),
  ],
);

/** An issue note (bolla di scarico): what left a warehouse or pharmacy for a ward, by lot. */
export const issueNotes = pgTable(
  'issue_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    number: text('number').notNull(),
    requestId: uuid('request_id').references(() => wardRequests.id),
    fromLocationId: uuid('from_location_id')
      .notNull()
      .references(() => locations.id),
    toLocationId: uuid('to_location_id')
      .notNull()
      .references(() => locations.id),
    status: text('status', { enum: issueNoteStatuses }).notNull().default('issued'),
    issuedBy: uuid('issued_by').references(() => users.id),
    issuedAt: ts('issued_at').notNull().defaultNow(),
    takenBy: uuid('taken_by').references(() => users.id),
    takenAt: ts('taken_at'),
    reversedAt: ts('reversed_at'),
    reason: text('reason'),
  },
  (t) => [
    uniqueIndex('issue_notes_number_uq').on(t.organisationId, t.number),
    index('issue_notes_request_ix').on(t.requestId),
    index('issue_notes_to_ix').on(t.toLocationId, t.status),
    check('issue_notes_status_ck', inList('status', issueNoteStatuses)),
  ],
);

export const issueNoteLines = pgTable(
  'issue_note_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issueNoteId: uuid('issue_note_id')
      .notNull()
      .references(() => issueNotes.id),
    requestLineId: uuid('request_line_id').references(() => requestLines.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    quantity: integer('quantity').notNull(),
    movementId: bigint('movement_id', { mode: 'number' })
      .notNull()
      .references(() => movements.id),
  },
  (t) => [
    index('issue_note_lines_note_ix').on(t.issueNoteId),
    index('issue_note_lines_request_line_ix').on(t.requestLineId),
    check('issue_note_lines_quantity_ck', sql`quantity > 0`),
  ],
);

/** A pharmacy picking list proposal (proposta di scarico): lots proposed for request lines, confirmed into issues. */
export const pickingLists = pgTable(
  'picking_lists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    number: text('number').notNull(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => wardRequests.id),
    fromLocationId: uuid('from_location_id')
      .notNull()
      .references(() => locations.id),
    status: text('status', { enum: pickingListStatuses }).notNull().default('proposed'),
    issueNoteId: uuid('issue_note_id').references(() => issueNotes.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
  },
  (t) => [
    uniqueIndex('picking_lists_number_uq').on(t.organisationId, t.number),
    check('picking_lists_status_ck', inList('status', pickingListStatuses)),
  ],
);

export const pickingListLines = pgTable(
  'picking_list_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pickingListId: uuid('picking_list_id')
      .notNull()
      .references(() => pickingLists.id),
    requestLineId: uuid('request_line_id')
      .notNull()
      .references(() => requestLines.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    index('picking_list_lines_list_ix').on(t.pickingListId),
    check('picking_list_lines_quantity_ck', sql`quantity > 0`),
  ],
);

/** A purchase order to a supplier, in the seed's MRP states: PL, FP, RR, OP, OD, CL (and cancelled). */
export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    number: text('number').notNull(),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    deliverToId: uuid('deliver_to_id')
      .notNull()
      .references(() => locations.id),
    status: text('status', { enum: purchaseOrderStatuses }).notNull().default('PL'),
    expectedAt: ts('expected_at'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    releasedAt: ts('released_at'),
    closedAt: ts('closed_at'),
  },
  (t) => [
    uniqueIndex('purchase_orders_number_uq').on(t.organisationId, t.number),
    index('purchase_orders_open_ix').on(t.organisationId, t.status, t.expectedAt),
    check('purchase_orders_status_ck', inList('status', purchaseOrderStatuses)),
  ],
);

export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    purchaseOrderId: uuid('purchase_order_id')
      .notNull()
      .references(() => purchaseOrders.id),
    requestLineId: uuid('request_line_id').references(() => requestLines.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    quantity: integer('quantity').notNull(),
    quantityReceived: integer('quantity_received').notNull().default(0),
    unitPrice: numeric('unit_price', { precision: 12, scale: 4 }),
  },
  (t) => [
    index('purchase_order_lines_po_ix').on(t.purchaseOrderId),
    index('purchase_order_lines_request_line_ix').on(t.requestLineId),
    check('purchase_order_lines_quantity_ck', sql`quantity > 0 and quantity_received between 0 and quantity`),
  ],
);

/** A ward's spending budget for a period, checked when its request lines are evaluated. */
export const wardBudgets = pgTable(
  'ward_budgets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  },
  (t) => [
    uniqueIndex('ward_budgets_period_uq').on(t.locationId, t.periodStart),
    check('ward_budgets_period_ck', sql`period_end >= period_start and amount >= 0`),
  ],
);

/** A supply contract: contracted quantity and price of an item from a supplier for a period. */
export const supplyContracts = pgTable(
  'supply_contracts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    reference: text('reference').notNull(),
    unitPrice: numeric('unit_price', { precision: 12, scale: 4 }).notNull(),
    quantity: integer('quantity').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }).notNull(),
  },
  (t) => [
    index('supply_contracts_item_ix').on(t.itemId, t.validFrom),
    check('supply_contracts_ck', sql`quantity > 0 and valid_to >= valid_from`),
  ],
);
