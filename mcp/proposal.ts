import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { proposeWrite } from '../api/chat/proposals.ts';
import type { ProposalActionName } from '../api/chat/proposal-actions.ts';
import type { Context } from '../api/core/context.ts';
import { coreInput, run } from './errors.ts';

/**
 * A write tool's body: records a proposal for the token's user (nothing else is written) and answers with it and
 * the core's own description of what confirming would do, which the model shows to the user before confirm_proposal.
 */
export async function propose(ctx: Context, action: ProposalActionName, args: Record<string, unknown>): Promise<CallToolResult> {
  const result = await run(async () => {
    const p = await proposeWrite({ ctx, input: { action, input: coreInput(args) } });
    return { proposal: { id: p.id, action: p.action, expiresAt: p.expiresAt, summary: p.summary }, text: p.text!, written: false };
  });
  if (result.isError) return result;
  const { proposal, text } = result.structuredContent as { proposal: { id: string; expiresAt: string }; text: { en: string; it: string } };
  const next = `Show this to the user. Only if they agree, call confirm_proposal with proposal_id ${proposal.id} (before ${proposal.expiresAt}); otherwise cancel_proposal.`;
  return { ...result, content: [{ type: 'text', text: `${text.en}\n(it) ${text.it}\n${next}` }, { type: 'text', text: JSON.stringify(result.structuredContent) }] };
}
