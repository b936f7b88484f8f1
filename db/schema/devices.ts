import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
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
import { locations, organisations } from './organisation.ts';

export const deviceKinds = [
  'smart_cabinet',
  'smart_shelf',
  'rfid_cabinet',
  'glucometer',
  'insulin_pump',
  'oxygen_concentrator',
  'telehealth',
] as const;
export type DeviceKind = (typeof deviceKinds)[number];
export const deviceStatuses = ['active', 'revoked'] as const;

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A connected device bound to a location (a cabinet, a shelf) or a patient's home. It authenticates to the
 * broker with its code and a secret (stored hashed) and acts as its own user, holding the `device` role at
 * its location: the one permission table decides what its readings may do.
 */
export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    code: text('code').notNull(),
    kind: text('kind', { enum: deviceKinds }).notNull(),
    name: text('name').notNull(),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    secretHash: text('secret_hash').notNull(),
    status: text('status', { enum: deviceStatuses }).notNull().default('active'),
    /** Seconds between readings or heartbeats; silence beyond twice this raises an alert. */
    expectedIntervalSeconds: integer('expected_interval_seconds').notNull().default(3600),
    lastSeenAt: ts('last_seen_at'),
    online: text('online', { enum: ['online', 'offline', 'unknown'] })
      .notNull()
      .default('unknown'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('devices_code_uq').on(t.code),
    index('devices_location_ix').on(t.locationId),
    check('devices_kind_ck', inList('kind', deviceKinds)),
    check('devices_status_ck', inList('status', deviceStatuses)),
  ],
);

/**
 * What an event of a device consumes: a glucose measurement one strip and one lancet, a cartridge change
 * one cartridge and one infusion set. Per device kind (organisation-wide) or per device.
 */
export const deviceConsumptionRules = pgTable(
  'device_consumption_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    deviceKind: text('device_kind', { enum: deviceKinds }).notNull(),
    event: text('event').notNull(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    uniqueIndex('device_rules_uq').on(t.organisationId, t.deviceKind, t.event, t.itemId),
    check('device_rules_quantity_ck', sql`quantity > 0`),
  ],
);

/**
 * Every message a device sent, once: (device, sequence number) is the key, so a reading redelivered after a
 * crash or a reconnect is recognised and answered with the first outcome, never applied twice.
 */
export const deviceMessages = pgTable(
  'device_messages',
  {
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    topic: text('topic').notNull(),
    sentAt: ts('sent_at'),
    receivedAt: ts('received_at').notNull().defaultNow(),
    outcome: text('outcome', { enum: ['accepted', 'rejected'] }).notNull(),
    reply: jsonb('reply').notNull(),
    /**
     * The reply went out while the device was not subscribed to its reply topic (after a crash a device resends
     * its readings before it resubscribes): the embedded broker sends it when the device subscribes, then clears this.
     */
    replyPending: boolean('reply_pending').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.deviceId, t.seq] }),
    index('device_messages_reply_pending_ix').on(t.deviceId, t.seq).where(sql`reply_pending`),
  ],
);

export const deviceAlertKinds = ['silent', 'recalled_lot', 'unknown_tag'] as const;
export type DeviceAlertKind = (typeof deviceAlertKinds)[number];

/**
 * Something about a device that staff should see: it fell silent beyond its expected interval, it reported
 * a lot under recall, it saw a tag Scorta cannot place. At most one open alert per device × kind × subject;
 * an alert closes (`resolvedAt`) when the cause goes away (the device speaks again, the lot leaves).
 */
export const deviceAlerts = pgTable(
  'device_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    kind: text('kind', { enum: deviceAlertKinds }).notNull(),
    /** What the alert is about within its kind ('' for silence; a lot id, a tag). */
    subject: text('subject').notNull().default(''),
    detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
    raisedAt: ts('raised_at').notNull().defaultNow(),
    resolvedAt: ts('resolved_at'),
  },
  (t) => [
    uniqueIndex('device_alerts_open_uq').on(t.deviceId, t.kind, t.subject).where(sql`resolved_at is null`),
    index('device_alerts_location_ix').on(t.locationId, t.raisedAt),
    check('device_alerts_kind_ck', inList('kind', deviceAlertKinds)),
  ],
);

/**
 * The tags an RFID cabinet saw in its last snapshot, each placed on an item and lot. The next snapshot is
 * compared with these: tags gone are consumption, new tags put-away; the stock facts themselves are
 * movements in the ledger, this only remembers which tagged packs are where.
 */
export const rfidTags = pgTable(
  'rfid_tags',
  {
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    /** The tag as read: an EPC (hex) or a GS1 element string, normalised. */
    tag: text('tag').notNull(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    lotId: uuid('lot_id').references(() => lots.id),
    serial: text('serial'),
    seenAt: ts('seen_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.tag] })],
);
