import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from '../../api/core/context.ts';
import { traceLot, TraceLotInput } from '../../api/lots/trace-lot.ts';
import { coreInput, run } from '../errors.ts';
import { nextPage, readOnly, Trace } from '../schemas.ts';
import { toolArgs } from '../tool-args.ts';

/** `trace_lot`: where a lot came from and where it went, with what each holder still has. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'trace_lot',
    {
      title: 'Trace a lot · Tracciabilità di un lotto',
      description:
        'Traces a lot backward and forward through the movement ledger, as far as this user may read: ' +
        'its timeline (receipts from suppliers with their documents, issues, transfers, consumption, ' +
        'returns, reversals; oldest first) and a summary per holder (every location it reached: received, ' +
        'sent on, consumed there, on hand now; holders at locations the user may not read are totals ' +
        'only, their movements left out of the timeline). totals cover the whole lot: totals.onHand is ' +
        'what a recall would still have to collect. Find a lot id with list_expiring_lots or get_stock.',
      inputSchema: toolArgs(TraceLotInput, {
        describe: {
          lotId: "The lot's id (find_lot finds it by its code)",
          limit: 'Timeline movements per page (default 200); the holders summary always covers everything',
          cursor: nextPage,
        },
      }),
      outputSchema: Trace,
      annotations: readOnly,
    },
    async (args) => run(() => traceLot({ ctx, input: coreInput(args) })),
  );
}
