import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
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
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { inList } from './checks.ts';
import { items, lots } from './catalogue.ts';
import { locations, organisations } from './organisation.ts';
import { users } from './access.ts';

export const movementKinds = [
  'receipt',
  'issue',
  'transfer',
  'consumption',
  'adjustment',
  'sale',
  'return',
  'reversal',
] as const;
export type MovementKind = (typeof movementKinds)[number];
export const channels = ['http', 'mqtt', 'slack', 'voice', 'mcp', 'cli', 'system'] as const;
export type Channel = (typeof channels)[number];

/**
 * Stock on hand per location × lot (the item is the lot's, repeated for reads by item).
 * Only the ledger's writer changes it, in the same transaction as the movement; never negative.
 */
export const stockBalances = pgTable(
  'stock_balances',
  {
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    quantity: integer('quantity').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.locationId, t.lotId] }),
    index('stock_balances_item_ix').on(t.itemId, t.locationId),
    index('stock_balances_lot_ix').on(t.lotId),
    // Stock on hand by location (a ward and everything below it): only the positive balances, with every
    // column the stock reads use, so they are index-only scans that never touch the zero rows left behind
    // by every lot that ever passed through (7 in 8 rows of a ward after two years, see docs/benchmarks.md).
    index('stock_balances_on_hand_ix').on(t.locationId, t.lotId, t.itemId, t.quantity).where(sql`quantity > 0`),
    check('stock_balances_quantity_ck', sql`quantity >= 0`),
  ],
);

/**
 * The append-only movement ledger. A movement takes `quantity` units of a lot out of `fromLocationId`
 * and puts them into `toLocationId`; a null side is outside Scorta (a supplier, a patient, the bin).
 * A reversal swaps the sides of the movement it reverses; each movement is reversed at most once.
 */
export const movements = pgTable(
  'movements',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    kind: text('kind', { enum: movementKinds }).notNull(),
    reversesId: bigint('reverses_id', { mode: 'number' }).references((): AnyPgColumn => movements.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    quantity: integer('quantity').notNull(),
    fromLocationId: uuid('from_location_id').references(() => locations.id),
    toLocationId: uuid('to_location_id').references(() => locations.id),
    unitPrice: numeric('unit_price', { precision: 12, scale: 4 }),
    documentType: text('document_type'),
    documentId: text('document_id'),
    reason: text('reason'),
    actorId: uuid('actor_id').references(() => users.id),
    channel: text('channel', { enum: channels }).notNull(),
    idempotencyKey: text('idempotency_key'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('movements_lot_ix').on(t.lotId, t.id),
    // Partial where a column is often empty: a consumption has no destination, no document and reverses
    // nothing, so device ingest writes five index entries per movement instead of eight.
    index('movements_from_ix').on(t.fromLocationId, t.occurredAt).where(sql`from_location_id is not null`),
    index('movements_to_ix').on(t.toLocationId, t.occurredAt).where(sql`to_location_id is not null`),
    index('movements_item_ix').on(t.itemId, t.occurredAt),
    index('movements_org_time_ix').on(t.organisationId, t.occurredAt),
    index('movements_document_ix').on(t.documentType, t.documentId).where(sql`document_id is not null`),
    uniqueIndex('movements_reverses_uq').on(t.reversesId).where(sql`reverses_id is not null`),
    check('movements_kind_ck', inList('kind', movementKinds)),
    check('movements_channel_ck', inList('channel', channels)),
    check('movements_quantity_ck', sql`quantity > 0`),
    check('movements_sides_ck', sql`from_location_id is not null or to_location_id is not null`),
    check('movements_reversal_ck', sql`(kind = 'reversal') = (reverses_id is not null)`),
  ],
);

/**
 * Reorder policy per location × item (look-back): R = L × W + B, with L in weeks.
 * Stored with the inputs it was computed from so a request can say why it was made.
 */
export const reorderPolicies = pgTable(
  'reorder_policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    leadTimeDays: numeric('lead_time_days', { precision: 8, scale: 2, mode: 'number' }).notNull(),
    weeklyDemand: numeric('weekly_demand', { precision: 12, scale: 3, mode: 'number' }).notNull(),
    safetyStock: integer('safety_stock').notNull(),
    reorderLevel: integer('reorder_level').notNull(),
    orderQuantity: integer('order_quantity').notNull(),
    maxStock: integer('max_stock').notNull(),
    serviceLevel: numeric('service_level', { precision: 5, scale: 4, mode: 'number' }),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reorder_policies_location_item_uq').on(t.locationId, t.itemId),
    check(
      'reorder_policies_ck',
      sql`safety_stock >= 0 and reorder_level >= 0 and order_quantity >= 0 and max_stock >= reorder_level`,
    ),
  ],
);

/**
 * Idempotency keys of retried writes, scoped to the acting user. The stored result is returned to a
 * retry with the same key and payload; the same key with another payload is a conflict.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    action: text('action').notNull(),
    requestHash: text('request_hash').notNull(),
    result: jsonb('result').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    actorId: uuid('actor_id').references(() => users.id),
    channel: text('channel', { enum: channels }).notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_entity_ix').on(t.entityType, t.entityId),
    index('audit_log_org_at_ix').on(t.organisationId, t.at),
  ],
);
