import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from '../../api/core/context.ts';
import { recallLot } from '../../api/lots/recall-lot.ts';
import { coreInput, run } from '../errors.ts';
import { lotStatusArgs, LotStatusResult } from './lot-status-args.ts';

/** `recall_lot`: recalls a lot (final); idempotent on the caller's key. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool('recall_lot', {
    title: 'Recall a lot · Richiama un lotto',
    description: 'Recalls a lot — final, it cannot be undone: its stock may only go back to the store that received it, every other stock action refuses it, the holding wards are notified and their cabinets lock its bins. An open quarantine of the lot is escalated (closedRecall). Returns the lot\'s new status and the recall record; follow it with get_recall. Warehouse and pharmacy staff only. Retrying with the same idempotency_key returns the same result and records nothing new.',
    inputSchema: lotStatusArgs,
    outputSchema: LotStatusResult,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  }, async (args) => run(() => recallLot({ ctx, input: coreInput(args) })));
}
