import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { inList } from './checks.ts';

export const organisationKinds = ['hospital_trust', 'local_health_unit', 'cancer_institute', 'other'] as const;
export const locationKinds = ['warehouse', 'pharmacy', 'ward', 'ward_store', 'cabinet', 'home', 'transit'] as const;
export type LocationKind = (typeof locationKinds)[number];

/** An azienda sanitaria: a hospital trust, a local health unit, a cancer institute. */
export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: organisationKinds }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organisations_code_uq').on(t.code),
    check('organisations_kind_ck', inList('kind', organisationKinds)),
  ],
);

/**
 * Locations form a tree per organisation. `path` is the materialised chain of ids from the root
 * (`/rootId/…/id/`), so "is X inside Y" is a prefix test: role scopes and subtree stock reads use it.
 * A `home` is a chronic patient's home: `patientCode` is pseudonymous, never a name.
 */
export const locations = pgTable(
  'locations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => locations.id),
    path: text('path').notNull(),
    kind: text('kind', { enum: locationKinds }).notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
    patientCode: text('patient_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('locations_org_code_uq').on(t.organisationId, t.code),
    index('locations_parent_ix').on(t.parentId),
    index('locations_path_ix').on(t.path),
    check('locations_kind_ck', inList('kind', locationKinds)),
    check('locations_patient_ck', sql`(kind = 'home') = (patient_code is not null)`),
  ],
);

/** A procurement section (sezione ordinante): fulfils requests for the categories it is competent for. */
export const procurementSections = pgTable(
  'procurement_sections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    fulfilledFromId: uuid('fulfilled_from_id').references(() => locations.id),
  },
  (t) => [uniqueIndex('sections_org_code_uq').on(t.organisationId, t.code)],
);

/** Item category; `sectionId` says which procurement section is competent for it. */
export const itemCategories = pgTable(
  'item_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    sectionId: uuid('section_id').references(() => procurementSections.id),
  },
  (t) => [uniqueIndex('categories_org_code_uq').on(t.organisationId, t.code)],
);

export const suppliers = pgTable(
  'suppliers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    vatNumber: text('vat_number'),
    leadTimeDays: integer('lead_time_days'),
  },
  (t) => [uniqueIndex('suppliers_org_code_uq').on(t.organisationId, t.code)],
);
