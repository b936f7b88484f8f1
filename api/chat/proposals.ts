import { and, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { chatProposals } from '../../db/schema/index.ts';
import { audit } from '../core/audit.ts';
import { withTransaction, type Context } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { parseInput } from '../core/validate.ts';
import { proposalActionNames, proposalActions, ProposalSummary, type ProposalResult } from './proposal-actions.ts';
import { proposalDescriptions } from './proposal-summaries.ts';

export const ProposeWriteInput = z.object({
  action: z.enum(proposalActionNames),
  input: z.record(z.string(), z.unknown()),
  /** What the user was shown (the bot's own wording); without it the core describes the write from the database. */
  summary: ProposalSummary.optional(),
  ttlSeconds: z.number().int().min(30).max(3600).default(900),
});
export type ProposeWriteInput = z.input<typeof ProposeWriteInput>;

const proposalChannel = (ctx: Context) => {
  const channel = ctx.actor.channel;
  if (channel !== 'slack' && channel !== 'voice' && channel !== 'mcp')
    throw new DomainError('validation', 'validation', {
      fields: [{ field: 'channel', message: 'proposals are made in chat (slack, voice) or by an AI assistant (mcp)' }],
    });
  return channel;
};

/**
 * Records a write a bot or an AI assistant shows to a user and will do only if that same user confirms it before
 * it expires. The action's input is validated and its permission checked now, and again when it runs. Without a
 * summary, the write is described from the database (`proposal-summaries.ts`): `text` says in Italian and
 * English exactly what a confirmation would do.
 */
export async function proposeWrite({ ctx, input }: { ctx: Context; input: ProposeWriteInput }) {
  const data = parseInput(ProposeWriteInput, input);
  const action = proposalActions[data.action] as {
    input: z.ZodType;
    check: (ctx: Context, input: never) => Promise<void>;
  };
  const payload = parseInput(action.input, data.input);
  const provider = proposalChannel(ctx);
  if (!ctx.actor.userId)
    throw new DomainError('validation', 'validation', {
      fields: [{ field: 'actor', message: 'a proposal needs a user' }],
    });
  return withTransaction(ctx, async (tx) => {
    await action.check(tx, payload as never);
    const described = data.summary
      ? { summary: data.summary, text: null }
      : await proposalDescriptions[data.action](tx, payload);
    const summary = described.summary;
    const expiresAt = new Date(tx.now().getTime() + data.ttlSeconds * 1000);
    const [row] = await tx.db
      .insert(chatProposals)
      .values({
        organisationId: tx.actor.organisationId,
        userId: tx.actor.userId!,
        provider,
        action: data.action,
        payload: { input: payload, summary, ...(described.text ? { text: described.text } : {}) },
        expiresAt,
      })
      .returning({ id: chatProposals.id });
    await audit(tx, {
      action: 'chat.propose',
      entityType: 'chat_proposal',
      entityId: row!.id,
      detail: { action: data.action, summary },
    });
    return { id: row!.id, action: data.action, summary, text: described.text, expiresAt: expiresAt.toISOString() };
  });
}

/** The proposal to confirm or cancel: its id, as the proposal returned it. */
export const ProposalId = z.object({
  proposalId: z.uuid().describe('The id of the proposal, as returned by the tool that proposed the write'),
});
type Decided = {
  status: 'confirmed' | 'cancelled';
  action: string;
  replayed: boolean;
  summary: Record<string, string>;
  result: ProposalResult | null;
};

/** Why a proposal could not be decided now: replays a repeated decision, refuses the others. */
async function alreadyDecided(
  ctx: Context,
  id: string,
  wanted: 'confirmed' | 'cancelled',
  channel: string,
): Promise<Decided | 'expired'> {
  const [row] = await ctx.db
    .select()
    .from(chatProposals)
    .where(and(eq(chatProposals.id, id), eq(chatProposals.organisationId, ctx.actor.organisationId)));
  // Another user's proposal, or one made on another channel (an assistant may not decide a Slack or voice
  // proposal, nor the other way round), is not theirs to decide: the same answer as an unknown id.
  if (!row || row.userId !== ctx.actor.userId || row.provider !== channel)
    throw new DomainError('not_found', 'proposal_not_found', { params: { id }, context: { entity: 'proposal', id } });
  const summary = (row.payload as { summary: Record<string, string> }).summary;
  if (row.status === wanted)
    return { status: wanted, action: row.action, replayed: true, summary, result: row.result as ProposalResult | null };
  if (row.status === 'pending' || row.status === 'expired') {
    await ctx.db
      .update(chatProposals)
      .set({ status: 'expired', decidedAt: ctx.now() })
      .where(and(eq(chatProposals.id, id), eq(chatProposals.status, 'pending')));
    return 'expired';
  }
  throw new DomainError('conflict', 'proposal_closed', {
    params: { status: row.status },
    context: { status: row.status },
  });
}

/** Decides a pending proposal of the actor: one conditional update, so of two clicks only one wins. */
async function decide(ctx: Context, proposalId: string, status: 'confirmed' | 'cancelled'): Promise<Decided> {
  const channel = proposalChannel(ctx);
  const outcome = await withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(chatProposals)
      .set({ status, decidedAt: tx.now() })
      .where(
        and(
          eq(chatProposals.id, proposalId),
          eq(chatProposals.status, 'pending'),
          eq(chatProposals.userId, tx.actor.userId ?? ''),
          eq(chatProposals.provider, channel),
          eq(chatProposals.organisationId, tx.actor.organisationId),
          gt(chatProposals.expiresAt, tx.now()),
        ),
      )
      .returning();
    if (!row) return alreadyDecided(tx, proposalId, status, channel);
    const { input, summary } = row.payload as { input: Record<string, unknown>; summary: Record<string, string> };
    let result: ProposalResult | null = null;
    if (status === 'confirmed') {
      const action = proposalActions[row.action as keyof typeof proposalActions] as {
        input: z.ZodType;
        run: (ctx: Context, input: never, key: string) => Promise<ProposalResult>;
      };
      result = await action.run(tx, parseInput(action.input, input) as never, row.id);
      await tx.db.update(chatProposals).set({ result }).where(eq(chatProposals.id, row.id));
    }
    await audit(tx, {
      action: status === 'confirmed' ? 'chat.confirm' : 'chat.cancel',
      entityType: 'chat_proposal',
      entityId: row.id,
      detail: { action: row.action, ...(result ? { result } : {}) },
    });
    return { status, action: row.action, replayed: false, summary, result } satisfies Decided;
  });
  if (outcome === 'expired') throw new DomainError('precondition_failed', 'proposal_expired');
  return outcome;
}

/** Confirms the actor's own pending proposal and runs its write once (a repeated confirmation replays the result). */
export async function confirmProposal({ ctx, input }: { ctx: Context; input: { proposalId: string } }) {
  return decide(ctx, parseInput(ProposalId, input).proposalId, 'confirmed');
}

/** Cancels the actor's own pending proposal: nothing is written. */
export async function cancelProposal({ ctx, input }: { ctx: Context; input: { proposalId: string } }) {
  return decide(ctx, parseInput(ProposalId, input).proposalId, 'cancelled');
}
