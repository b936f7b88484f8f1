import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './access.ts';
import { inList } from './checks.ts';
import { locations, organisations } from './organisation.ts';

export const chatProviders = ['slack', 'voice'] as const;
/**
 * Where a proposal was made: a chat, or an AI assistant over MCP (no check constraint on the column: a TypeScript type
 * only).
 */
export const proposalChannels = [...chatProviders, 'mcp'] as const;
export const proposalStatuses = ['pending', 'confirmed', 'cancelled', 'expired'] as const;

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A chat account (a Slack user of a workspace) linked to the Scorta user it acts as, with that user's role and scope
 * only.
 */
export const chatLinks = pgTable(
  'chat_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider', { enum: chatProviders }).notNull(),
    /** The workspace (Slack team id); '' where the provider has none. */
    workspace: text('workspace').notNull().default(''),
    externalUserId: text('external_user_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('chat_links_account_uq').on(t.provider, t.workspace, t.externalUserId),
    check('chat_links_provider_ck', inList('provider', chatProviders)),
  ],
);

/**
 * A one-time code a user gets from Scorta (CLI or API) and sends to the bot to link a chat account; stored hashed,
 * short-lived.
 */
export const chatLinkCodes = pgTable('chat_link_codes', {
  codeHash: text('code_hash').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
});

/**
 * A write the bot proposed and showed to a user (a request, a recall): exactly this is done if, and only if,
 * the same user confirms it before it expires. The proposal id is the idempotency key of the write, so a
 * confirmation clicked twice writes once.
 */
export const chatProposals = pgTable(
  'chat_proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: proposalChannels }).notNull(),
    action: text('action').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: proposalStatuses }).notNull().default('pending'),
    result: jsonb('result'),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    decidedAt: ts('decided_at'),
  },
  (t) => [
    index('chat_proposals_user_ix').on(t.userId, t.createdAt),
    check('chat_proposals_status_ck', inList('status', proposalStatuses)),
  ],
);

/** Where a location's alerts go in chat: a ward's Slack channel gets its under-stock and recall events. */
export const chatChannels = pgTable(
  'chat_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    provider: text('provider', { enum: chatProviders }).notNull(),
    workspace: text('workspace').notNull().default(''),
    channelId: text('channel_id').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('chat_channels_location_uq').on(t.locationId, t.provider, t.workspace),
    check('chat_channels_provider_ck', inList('provider', chatProviders)),
    check('chat_channels_channel_ck', sql`channel_id <> ''`),
  ],
);
