import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from '../../api/core/context.ts';
import { propose } from '../proposal.ts';
import { Proposal, proposes } from '../schemas.ts';
import { lotStatusArgs } from './lot-status-args.ts';

/** `recall_lot`: proposes a recall (nothing written); confirm_proposal records it — final. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'recall_lot',
    {
      title: 'Propose a recall · Proponi un richiamo',
      description:
        'Proposes to recall a lot. Once confirmed it is final: its stock may only go back to the ' +
        'store that received it, every other stock action refuses it, the holding wards are notified ' +
        'and their cabinets lock its bins; an open quarantine is escalated. Nothing is written now: ' +
        'the answer is a proposal saying, in Italian and English, exactly which lot (code, item, ' +
        'expiry) and why. Show it to the user; only if they agree call confirm_proposal, then follow ' +
        'the recall with get_recall. Warehouse and pharmacy staff only (others are refused at once).',
      inputSchema: lotStatusArgs,
      outputSchema: Proposal,
      annotations: proposes,
    },
    async (args) => propose(server, ctx, 'recall_lot', args),
  );
}
