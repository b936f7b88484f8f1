import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { inList } from './checks.ts';
import { locations, organisations } from './organisation.ts';

export const roles = ['admin', 'warehouse', 'pharmacist', 'ward_nurse', 'home_care', 'device', 'assistant'] as const;
export type Role = (typeof roles)[number];
export const tokenKinds = ['user', 'assistant'] as const;

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    locale: text('locale').notNull().default('it'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_username_uq').on(t.username)],
);

/** A role held in an organisation, optionally narrowed to a location subtree (its warehouse, its ward, its team). */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    locationId: uuid('location_id').references(() => locations.id),
  },
  (t) => [index('role_assignments_user_ix').on(t.userId), check('role_assignments_role_ck', inList('role', roles))],
);

/**
 * API tokens, stored as SHA-256 hashes. A token of kind `assistant` lets a bot or an AI act for its
 * user: it carries the user's roles and never more.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind', { enum: tokenKinds }).notNull().default('user'),
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), check('api_tokens_kind_ck', inList('kind', tokenKinds))],
);
