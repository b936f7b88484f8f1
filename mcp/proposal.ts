import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { cancelProposal, confirmProposal, proposeWrite } from '../api/chat/proposals.ts';
import type { ProposalActionName } from '../api/chat/proposal-actions.ts';
import type { Context } from '../api/core/context.ts';
import { coreInput, run, toolError } from './errors.ts';

/** The one question Scorta asks a client that can ask its user (MCP elicitation): yes or no to the proposal shown. */
const confirmForm = {
  type: 'object' as const,
  properties: {
    confirm: {
      type: 'boolean' as const,
      title: 'Confirm · Conferma',
      description: 'Yes to carry it out now, no to drop it · Sì per procedere ora, no per annullare',
    },
  },
  required: ['confirm'],
};

/**
 * Checks the user's answer to `confirmForm` by hand: the SDK's default validator (Ajv) compiles code at run time,
 * which Workers refuse, and the answer is one boolean.
 */
export const confirmAnswerValidator: jsonSchemaValidator = {
  getValidator: () => (input: unknown) =>
    typeof input === 'object' && input !== null && typeof (input as { confirm?: unknown }).confirm === 'boolean'
      ? { valid: true, data: input as never, errorMessage: undefined }
      : { valid: false, data: undefined, errorMessage: 'confirm must be true or false' },
};

/**
 * A write tool's body: records a proposal for the token's user (nothing else is written) and answers with it and
 * the core's own description of what confirming would do. A client that can ask its user (form elicitation, a
 * session that stays open such as stdio) is asked yes or no at once, and the answer confirms or cancels the
 * proposal in the same call; otherwise the model shows the text and calls confirm_proposal when the user agrees.
 */
export async function propose(
  server: McpServer,
  ctx: Context,
  action: ProposalActionName,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  const result = await run(async () => {
    const p = await proposeWrite({ ctx, input: { action, input: coreInput(args) } });
    return {
      proposal: { id: p.id, action: p.action, expiresAt: p.expiresAt, summary: p.summary },
      text: p.text!,
      written: false,
    };
  });
  if (result.isError) return result;
  const proposed = result.structuredContent as {
    proposal: { id: string; expiresAt: string };
    text: { en: string; it: string };
    written: boolean;
  };
  const words = `${proposed.text.en}\n(it) ${proposed.text.it}`;
  if (server.server.getClientCapabilities()?.elicitation?.form) {
    let answer: Awaited<ReturnType<typeof server.server.elicitInput>> | null;
    try {
      answer = await server.server.elicitInput({ mode: 'form', message: words, requestedSchema: confirmForm });
    } catch {
      answer = null; // The client could not ask: the proposal stands, to confirm with confirm_proposal.
    }
    if (answer) {
      const input = { proposalId: proposed.proposal.id };
      try {
        const decision = JSON.parse(
          JSON.stringify(
            answer.action === 'accept' && answer.content?.confirm === true
              ? await confirmProposal({ ctx, input })
              : await cancelProposal({ ctx, input }),
          ),
        );
        const structuredContent = { ...proposed, written: decision.status === 'confirmed', decision };
        const said =
          decision.status === 'confirmed'
            ? `The user confirmed: done (${decision.result?.reference ?? ''}).`
            : 'The user did not confirm: the proposal is cancelled, nothing was written.';
        return {
          content: [
            { type: 'text', text: `${said}\n${words}` },
            { type: 'text', text: JSON.stringify(structuredContent) },
          ],
          structuredContent,
        };
      } catch (error) {
        return toolError(error);
      }
    }
  }
  const next =
    `Show this to the user. Only if they agree, call confirm_proposal with proposal_id ` +
    `${proposed.proposal.id} (before ${proposed.proposal.expiresAt}); otherwise cancel_proposal.`;
  return {
    ...result,
    content: [
      { type: 'text', text: `${words}\n${next}` },
      { type: 'text', text: JSON.stringify(result.structuredContent) },
    ],
  };
}
