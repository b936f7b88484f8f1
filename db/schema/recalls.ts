import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './access.ts';
import { lots } from './catalogue.ts';
import { inList } from './checks.ts';
import { devices } from './devices.ts';
import { locations, organisations } from './organisation.ts';

export const recallKinds = ['quarantine', 'recall'] as const;
export type RecallKind = (typeof recallKinds)[number];
/**
 * open → closed (a recall with nothing left out) · open → lifted (a quarantine released) · open → escalated (a
 * quarantine become a recall).
 */
export const recallStatuses = ['open', 'closed', 'lifted', 'escalated'] as const;
export type RecallStatus = (typeof recallStatuses)[number];
export const notificationKinds = ['recall', 'quarantine', 'quarantine_lifted', 'recall_closed', 'under_stock'] as const;
export type NotificationKind = (typeof notificationKinds)[number];
/** Who delivers a notification: the chat dispatcher (a ward's Slack channel), the dashboard, a device over MQTT. */
export const notificationTargets = ['chat', 'dashboard', 'device'] as const;
export type NotificationTarget = (typeof notificationTargets)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A quarantine or a recall of a lot: why, on whose reference (the supplier's or the authority's notice),
 * opened and closed by whom. `ledgerMark` is the last movement id when it opened: the progress (consumed
 * before, returned since, still out) is computed from the ledger on either side of it, never stored.
 * At most one open quarantine or recall per lot.
 */
export const lotRecalls = pgTable(
  'lot_recalls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    kind: text('kind', { enum: recallKinds }).notNull(),
    status: text('status', { enum: recallStatuses }).notNull().default('open'),
    reason: text('reason').notNull(),
    reference: text('reference'),
    ledgerMark: bigint('ledger_mark', { mode: 'number' }).notNull(),
    openedAt: ts('opened_at').notNull().defaultNow(),
    openedBy: uuid('opened_by').references(() => users.id),
    closedAt: ts('closed_at'),
    closedBy: uuid('closed_by').references(() => users.id),
    closeNote: text('close_note'),
  },
  (t) => [
    uniqueIndex('lot_recalls_open_uq').on(t.lotId).where(sql`status = 'open'`),
    index('lot_recalls_org_opened_ix').on(t.organisationId, t.openedAt),
    check('lot_recalls_kind_ck', inList('kind', recallKinds)),
    check('lot_recalls_status_ck', inList('status', recallStatuses)),
    check('lot_recalls_closed_ck', sql`(status = 'open') = (closed_at is null)`),
  ],
);

/**
 * The outbox of notifications written in the transaction that causes them (a recall tells the holding
 * wards' chat channels, their dashboards and the smart cabinets that must lock bins). Channels deliver
 * them after commit and mark them delivered; a dashboard row is delivered when someone acknowledges it.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    kind: text('kind', { enum: notificationKinds }).notNull(),
    target: text('target', { enum: notificationTargets }).notNull(),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    /** For `device` notifications: the device to command (topic `scorta/devices/{code}/commands`). */
    deviceId: uuid('device_id').references(() => devices.id),
    recallId: uuid('recall_id').references(() => lotRecalls.id),
    payload: jsonb('payload').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
  },
  (t) => [
    index('notifications_pending_ix').on(t.target, t.createdAt).where(sql`delivered_at is null`),
    index('notifications_location_ix').on(t.locationId, t.createdAt),
    index('notifications_recall_ix').on(t.recallId),
    check('notifications_kind_ck', inList('kind', notificationKinds)),
    check('notifications_target_ck', inList('target', notificationTargets)),
    check('notifications_device_ck', sql`(target = 'device') = (device_id is not null)`),
  ],
);
