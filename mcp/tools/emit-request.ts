import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from '../../api/core/context.ts';
import { EmitRequestInput } from '../../api/requests/schemas.ts';
import { propose } from '../proposal.ts';
import { Proposal, proposes } from '../schemas.ts';
import { toolArgs } from '../tool-args.ts';

/** `emit_request`: proposes a ward request (nothing written); confirm_proposal emits it. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'emit_request',
    {
      title: 'Propose a ward request · Proponi una richiesta',
      description:
        'Proposes a ward request for a destination (a ward — its store receives —, a ward store, a cabinet ' +
        "or a patient's home) with one line per item. A line may not exceed 4 weeks of the destination's " +
        'usual consumption (5 packs for an item it has not used): above it the tool answers why, and only a ' +
        'person (an admin, in the app) may override. Nothing is written: the answer is a proposal with, in ' +
        'Italian and English, exactly what would be requested (items by code and name, quantities, ' +
        'destination, urgency), read from Scorta. Show it to the user; only ' +
        'if they agree call confirm_proposal with the proposal id, which emits ' +
        'the request once (a repeated confirmation returns the same request).',
      inputSchema: toolArgs(EmitRequestInput, {
        omit: ['idempotencyKey', 'origin', 'override'],
        describe: {
          destinationId:
            "The destination location's id (ward, ward store, cabinet or home; a UUID from scorta://locations)",
          urgency: 'normal (default), urgent, or emergency',
          neededBy: 'When the goods are needed, ISO 8601 with offset, e.g. 2026-11-24T08:00:00+01:00',
          note: 'A note for the procurement sections',
          lines:
            'One line per item (each item once): item_id (from ' +
            "search_items) and quantity in the item's unit, not packs",
        },
      }),
      outputSchema: Proposal,
      annotations: proposes,
    },
    async (args) => propose(server, ctx, 'request_items', args),
  );
}
