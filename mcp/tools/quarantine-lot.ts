import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from '../../api/core/context.ts';
import { quarantineLot } from '../../api/lots/quarantine-lot.ts';
import { coreInput, run } from '../errors.ts';
import { lotStatusArgs, LotStatusResult } from './lot-status-args.ts';

/** `quarantine_lot`: blocks a lot everywhere until it is lifted or recalled; idempotent on the caller's key. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool('quarantine_lot', {
    title: 'Quarantine a lot · Metti un lotto in quarantena',
    description: 'Puts a lot in quarantine: from now on nobody may issue, pick, transfer or consume it, the wards holding it are notified and their cabinets lock its bins. Returns the lot\'s new status and the quarantine record opened. Warehouse and pharmacy staff only. Retrying with the same idempotency_key returns the same result and changes nothing.',
    inputSchema: lotStatusArgs,
    outputSchema: LotStatusResult,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  }, async (args) => run(() => quarantineLot({ ctx, input: coreInput(args) })));
}
