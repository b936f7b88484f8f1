import { and, eq } from 'drizzle-orm';
import { chatLinks, type chatProviders, users } from '../../db/schema/index.ts';
import { loadGrants } from '../access/users.ts';
import type { Actor, Context } from '../core/context.ts';

export type ChatProvider = (typeof chatProviders)[number];

export interface ChatAccount {
  provider: ChatProvider;
  /** The Slack team id; '' where the provider has none. */
  workspace: string;
  externalUserId: string;
}

export interface ChatUser {
  actor: Actor;
  user: { id: string; username: string; displayName: string; locale: 'it' | 'en' };
}

/**
 * The Scorta user a chat account is linked to, as an actor on that channel with exactly the user's grants;
 * null when the account is not linked or the user is inactive.
 */
export async function resolveChatActor(ctx: Pick<Context, 'db'>, account: ChatAccount): Promise<ChatUser | null> {
  const [row] = await ctx.db
    .select({
      id: users.id,
      organisationId: users.organisationId,
      username: users.username,
      displayName: users.displayName,
      locale: users.locale,
    })
    .from(chatLinks)
    .innerJoin(users, eq(users.id, chatLinks.userId))
    .where(
      and(
        eq(chatLinks.provider, account.provider),
        eq(chatLinks.workspace, account.workspace),
        eq(chatLinks.externalUserId, account.externalUserId),
        eq(users.active, true),
      ),
    );
  if (!row) return null;
  const actor: Actor = {
    userId: row.id,
    organisationId: row.organisationId,
    grants: await loadGrants(ctx, row.id),
    channel: account.provider,
    via: 'user',
  };
  return {
    actor,
    user: {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      locale: row.locale === 'en' ? 'en' : 'it',
    },
  };
}
