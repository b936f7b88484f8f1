import { sql } from 'drizzle-orm';
import { check, date, index, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { inList } from './checks.ts';
import { itemCategories, organisations, suppliers } from './organisation.ts';

export const supplyModes = ['stock', 'pass_through'] as const;
export const lotStatuses = ['available', 'quarantined', 'recalled', 'expired'] as const;
export type LotStatus = (typeof lotStatuses)[number];

/**
 * Item master (anagrafica articoli). `searchText` is the normalised (lower case, no accents) join of
 * code, GTIN, names and synonyms in both languages, written by the core on every change.
 */
export const items = pgTable(
  'items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    synonyms: text('synonyms').array().notNull().default(sql`'{}'::text[]`),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => itemCategories.id),
    unit: text('unit').notNull(),
    packSize: integer('pack_size').notNull().default(1),
    gtin: text('gtin'),
    supplyMode: text('supply_mode', { enum: supplyModes }).notNull().default('stock'),
    referencePrice: numeric('reference_price', { precision: 12, scale: 4 }),
    /** The usual supplier: purchase orders for pass-through items go to it, and its lead time applies. */
    supplierId: uuid('supplier_id').references(() => suppliers.id),
    /** Grams per unit, for smart shelves that weigh instead of counting. */
    unitWeightGrams: numeric('unit_weight_grams', { precision: 10, scale: 3, mode: 'number' }),
    searchText: text('search_text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('items_org_code_uq').on(t.organisationId, t.code),
    uniqueIndex('items_org_gtin_uq').on(t.organisationId, t.gtin),
    index('items_category_ix').on(t.categoryId),
    check('items_supply_mode_ck', inList('supply_mode', supplyModes)),
    check('items_pack_size_ck', sql`pack_size > 0`),
    check('items_gtin_ck', sql`gtin is null or gtin ~ '^[0-9]{14}$'`),
  ],
);

/** A lot: item + lot code + expiry + supplier + purchase price. Everything that matters legally is tracked by lot. */
export const lots = pgTable(
  'lots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    lotCode: text('lot_code').notNull(),
    expiry: date('expiry', { mode: 'string' }),
    supplierId: uuid('supplier_id').references(() => suppliers.id),
    purchasePrice: numeric('purchase_price', { precision: 12, scale: 4 }),
    status: text('status', { enum: lotStatuses }).notNull().default('available'),
    statusReason: text('status_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('lots_item_code_uq').on(t.itemId, t.lotCode),
    index('lots_expiry_ix').on(t.expiry),
    check('lots_status_ck', inList('status', lotStatuses)),
  ],
);
