import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { cancelProposal, ProposalId } from '../../api/chat/proposals.ts';
import type { Context } from '../../api/core/context.ts';
import { coreInput, run } from '../errors.ts';
import { Decision } from '../schemas.ts';
import { toolArgs } from '../tool-args.ts';

/** `cancel_proposal`: drops the user's own pending proposal; nothing is written. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'cancel_proposal',
    {
      title: 'Cancel a proposal · Annulla una proposta',
      description:
        'Cancels a pending proposal of emit_request, quarantine_lot or recall_lot when the user does not ' +
        'want it: nothing is written, and it can no longer be confirmed. Cancelling again answers the same.',
      inputSchema: toolArgs(ProposalId),
      outputSchema: Decision,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) => run(() => cancelProposal({ ctx, input: coreInput(args) })),
  );
}
