import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { confirmProposal, ProposalId } from '../../api/chat/proposals.ts';
import type { Context } from '../../api/core/context.ts';
import { coreInput, run } from '../errors.ts';
import { Decision } from '../schemas.ts';
import { toolArgs } from '../tool-args.ts';

/** `confirm_proposal`: carries out the user's own pending proposal, once (the proposal id is the idempotency key). */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'confirm_proposal',
    {
      title: 'Confirm a proposal · Conferma una proposta',
      description:
        'Carries out a proposal made by emit_request, quarantine_lot or recall_lot — call ' +
        'it only after the user has read the proposal and agreed. The write is done once: ' +
        'confirming the same proposal again returns the first result (replayed: true). Only ' +
        'the user who proposed may confirm; an expired proposal (see expiresAt) is refused: ' +
        'propose again. Returns the outcome (request number, or lot code and its new status).',
      inputSchema: toolArgs(ProposalId),
      outputSchema: Decision,
      // A confirmed recall cannot be undone; confirming twice writes once.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (args) => run(() => confirmProposal({ ctx, input: coreInput(args) })),
  );
}
