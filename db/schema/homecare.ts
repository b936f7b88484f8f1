import { sql } from 'drizzle-orm';
import { check, index, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './access.ts';
import { items } from './catalogue.ts';
import { locations, organisations } from './organisation.ts';

/**
 * A chronic patient's supply plan: how much of an item the home should use a day (4 glucose tests a day is
 * 4 strips and 4 lancets). Scorta compares real consumption with it, forecasts the run-out date and asks for
 * a home delivery before it. One plan per home × item; ending a plan sets `endedAt`.
 */
export const supplyPlans = pgTable(
  'supply_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    dailyQuantity: numeric('daily_quantity', { precision: 10, scale: 3 }).notNull(),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('supply_plans_active_uq').on(t.locationId, t.itemId).where(sql`ended_at is null`),
    index('supply_plans_org_ix').on(t.organisationId),
    check('supply_plans_quantity_ck', sql`daily_quantity > 0`),
  ],
);
