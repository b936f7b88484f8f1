import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from '../../api/core/context.ts';
import { propose } from '../proposal.ts';
import { Proposal, proposes } from '../schemas.ts';
import { lotStatusArgs } from './lot-status-args.ts';

/** `quarantine_lot`: proposes a quarantine (nothing written); confirm_proposal applies it. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'quarantine_lot',
    {
      title: 'Propose a quarantine · Proponi una quarantena',
      description:
        'Proposes to put a lot in quarantine: once confirmed nobody may issue, pick, transfer or ' +
        'consume it until it is lifted, the wards holding it are notified and their cabinets lock ' +
        'its bins. Nothing is written now: the answer is a proposal saying, in Italian and English, ' +
        'exactly which lot (code, item, expiry) and why. Show it to the user; only if they agree ' +
        'call confirm_proposal. Warehouse and pharmacy staff only (others are refused at once).',
      inputSchema: lotStatusArgs,
      outputSchema: Proposal,
      annotations: proposes,
    },
    async (args) => propose(server, ctx, 'quarantine_lot', args),
  );
}
