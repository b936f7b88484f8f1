import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { chatLinkCodes, chatLinks, chatProviders, users } from '../../db/schema/index.ts';
import { authorizeOverUser, loadGrants } from '../access/users.ts';
import { authorize } from '../auth/permissions.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Actor, type Context } from '../core/context.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { sha256Hex } from '../core/idempotency.ts';
import { parseInput } from '../core/validate.ts';
import { text } from '../core/text.ts';

/** No 0/O, 1/I/L: a code read aloud or typed from a screen survives. */
const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const codeLifetimeMs = 15 * 60_000;

/** A link code as typed by the user: case, spaces and dashes do not matter. */
export const normalizeLinkCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

export const CreateLinkCodeInput = z.object({ userId: z.uuid().optional() });
export type CreateLinkCodeInput = z.input<typeof CreateLinkCodeInput>;

/**
 * A one-time code (shown once, stored hashed, valid 15 minutes) the user sends to the bot to link a chat
 * account to their Scorta user. For oneself, or by an admin for a user of the organisation.
 */
export async function createLinkCode({ ctx, input }: { ctx: Context; input: CreateLinkCodeInput }) {
  const data = parseInput(CreateLinkCodeInput, input);
  const userId = data.userId ?? ctx.actor.userId;
  if (!userId)
    throw new DomainError('validation', 'validation', {
      fields: [{ field: 'userId', message: 'required for a system actor' }],
    });
  if (userId !== ctx.actor.userId) authorize(ctx.actor, 'users.write');
  return withTransaction(ctx, async (tx) => {
    const [user] = await tx.db
      .select()
      .from(users)
      .where(and(eq(users.id, userId), eq(users.organisationId, tx.actor.organisationId), eq(users.active, true)));
    if (!user) throw notFound('user', userId);
    // A linked chat account acts as the user: an admin links only users whose every grant is within its own.
    if (userId !== tx.actor.userId) await authorizeOverUser(tx, userId);
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    const raw = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    const expiresAt = new Date(tx.now().getTime() + codeLifetimeMs);
    await tx.db.insert(chatLinkCodes).values({ codeHash: await sha256Hex(raw), userId, expiresAt });
    await audit(tx, { action: 'chat.link_code', entityType: 'user', entityId: userId });
    return {
      code: `${raw.slice(0, 4)}-${raw.slice(4)}`,
      expiresAt: expiresAt.toISOString(),
      userId,
      username: user.username,
    };
  });
}

export const LinkChatAccountInput = z.object({
  provider: z.enum(chatProviders),
  workspace: text().max(100).default(''),
  externalUserId: text().trim().min(1).max(100),
  code: text().trim().min(4).max(20),
});
export type LinkChatAccountInput = z.input<typeof LinkChatAccountInput>;

/**
 * Redeems a link code: the chat account (provider, workspace, user id) acts from now on as the code's
 * user, with that user's role and scope only. The code works once; an account already linked is relinked.
 */
export async function linkChatAccount({
  ctx,
  input,
}: {
  ctx: Pick<Context, 'db' | 'now'>;
  input: LinkChatAccountInput;
}) {
  const data = parseInput(LinkChatAccountInput, input);
  const codeHash = await sha256Hex(normalizeLinkCode(data.code));
  const invalid = () => new DomainError('precondition_failed', 'link_code_invalid');
  const [found] = await ctx.db
    .select({
      userId: users.id,
      organisationId: users.organisationId,
      username: users.username,
      displayName: users.displayName,
      locale: users.locale,
    })
    .from(chatLinkCodes)
    .innerJoin(users, eq(users.id, chatLinkCodes.userId))
    .where(and(eq(chatLinkCodes.codeHash, codeHash), eq(users.active, true)));
  if (!found) throw invalid();
  const actor: Actor = {
    userId: found.userId,
    organisationId: found.organisationId,
    grants: await loadGrants(ctx, found.userId),
    channel: data.provider,
    via: 'user',
  };
  return withTransaction({ db: ctx.db, now: ctx.now, actor }, async (tx) => {
    // The conditional update is the claim: of two concurrent redemptions only one gets the row back.
    const [claimed] = await tx.db
      .update(chatLinkCodes)
      .set({ usedAt: tx.now() })
      .where(
        and(eq(chatLinkCodes.codeHash, codeHash), isNull(chatLinkCodes.usedAt), gt(chatLinkCodes.expiresAt, tx.now())),
      )
      .returning({ userId: chatLinkCodes.userId });
    if (!claimed) throw invalid();
    const account = { provider: data.provider, workspace: data.workspace, externalUserId: data.externalUserId };
    const [link] = await tx.db
      .insert(chatLinks)
      .values({ ...account, userId: found.userId })
      .onConflictDoUpdate({
        target: [chatLinks.provider, chatLinks.workspace, chatLinks.externalUserId],
        set: { userId: found.userId },
      })
      .returning({ id: chatLinks.id });
    await audit(tx, { action: 'chat.link', entityType: 'chat_link', entityId: link!.id, detail: account });
    return {
      userId: found.userId,
      username: found.username,
      displayName: found.displayName,
      locale: found.locale as 'it' | 'en',
    };
  });
}
