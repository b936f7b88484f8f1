import { and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { apiTokens, tokenKinds, users, type Channel } from '../../db/schema/index.ts';
import { actingFor, authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Actor, type Context } from '../core/context.ts';
import { invalid, notFound } from '../core/errors.ts';
import { sha256Hex } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { authorizeOverUser, loadGrants } from './users.ts';
import { text } from '../core/text.ts';

const tokenPrefix = 'sct_';

/** A new random token: `sct_` + 32 random bytes in base64url. Shown once; only its hash is stored. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return (
    tokenPrefix +
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '')
  );
}

export const CreateTokenInput = z.object({
  userId: z.uuid(),
  name: text().trim().min(1).max(100),
  kind: z.enum(tokenKinds).default('user'),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateTokenInput = z.input<typeof CreateTokenInput>;

/** Issues an API token for a user (kind `assistant` for a bot or an AI acting for them). Returns the secret once. */
export async function createApiToken({ ctx, input }: { ctx: Context; input: unknown }) {
  const data = parseInput(CreateTokenInput, input);
  authorize(ctx.actor, 'users.write');
  if (data.expiresAt && new Date(data.expiresAt).getTime() <= ctx.now().getTime())
    throw invalid('expiresAt', 'token_expiry_past', { expiresAt: data.expiresAt });
  return withTransaction(ctx, async (tx) => {
    const [user] = await tx.db
      .select()
      .from(users)
      .where(and(eq(users.id, data.userId), eq(users.organisationId, tx.actor.organisationId)));
    if (!user) throw notFound('user', data.userId);
    // A token acts with its user's grants: only someone holding users.write over all of them may issue it.
    await authorizeOverUser(tx, user.id);
    const token = newToken();
    const [row] = await tx.db
      .insert(apiTokens)
      .values({
        userId: user.id,
        name: data.name,
        kind: data.kind,
        tokenHash: await sha256Hex(token),
        prefix: token.slice(0, 10),
        expiresAt: data.expiresAt ? new Date(data.expiresAt) : null,
      })
      .returning({
        id: apiTokens.id,
        name: apiTokens.name,
        kind: apiTokens.kind,
        prefix: apiTokens.prefix,
        expiresAt: apiTokens.expiresAt,
      });
    await audit(tx, {
      action: 'tokens.create',
      entityType: 'api_token',
      entityId: row!.id,
      detail: { userId: user.id, name: data.name, kind: data.kind },
    });
    return { ...row!, token, username: user.username };
  });
}

/** Revokes a token of the actor's organisation; it stops working at once. */
export async function revokeApiToken({ ctx, id }: { ctx: Context; id: string }) {
  authorize(ctx.actor, 'users.write');
  return withTransaction(ctx, async (tx) => {
    const ofOrganisation = tx.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.organisationId, tx.actor.organisationId));
    const [token] = await tx.db
      .select({ userId: apiTokens.userId })
      .from(apiTokens)
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt), inArray(apiTokens.userId, ofOrganisation)));
    if (!token) throw notFound('api_token', id);
    await authorizeOverUser(tx, token.userId);
    const [row] = await tx.db
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt), inArray(apiTokens.userId, ofOrganisation)))
      .returning({ id: apiTokens.id });
    if (!row) throw notFound('api_token', id);
    await audit(tx, { action: 'tokens.revoke', entityType: 'api_token', entityId: id });
  });
}

/**
 * The actor behind a bearer token, or null when it is unknown, revoked, expired or its user inactive.
 * An assistant token acts for its user with exactly that user's grants.
 */
export async function authenticateToken(
  ctx: Pick<Context, 'db'>,
  token: string,
  channel: Channel,
): Promise<Actor | null> {
  if (!token.startsWith(tokenPrefix)) return null;
  const hash = await sha256Hex(token);
  const [row] = await ctx.db
    .select({
      tokenId: apiTokens.id,
      kind: apiTokens.kind,
      userId: users.id,
      organisationId: users.organisationId,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, hash),
        isNull(apiTokens.revokedAt),
        eq(users.active, true),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
      ),
    );
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - new Date(row.lastUsedAt).getTime() > 60_000) {
    await ctx.db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiTokens.id, row.tokenId),
          or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`)),
        ),
      );
  }
  const user: Actor = {
    userId: row.userId,
    organisationId: row.organisationId,
    grants: await loadGrants(ctx, row.userId),
    channel,
    via: 'user',
  };
  return row.kind === 'assistant' ? actingFor(user) : user;
}

/**
 * Every API token of the platform with its holder and state, for the operator's command line (`npm run cli -- token
 * list`).
 */
export async function listAllTokens(db: Context['db'], now: Date = new Date()) {
  const rows = await db
    .select({
      id: apiTokens.id,
      prefix: apiTokens.prefix,
      name: apiTokens.name,
      kind: apiTokens.kind,
      user: users.username,
      revokedAt: apiTokens.revokedAt,
      expiresAt: apiTokens.expiresAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId));
  return rows.map((r) => ({
    ...r,
    state: r.revokedAt ? 'revoked' : r.expiresAt && r.expiresAt < now ? 'expired' : 'active',
  }));
}
