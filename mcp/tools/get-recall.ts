import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from '../../api/core/context.ts';
import { DomainError, notFound } from '../../api/core/errors.ts';
import { listRecalls } from '../../api/lots/list-recalls.ts';
import { recallProgress } from '../../api/lots/recall-progress.ts';
import { run } from '../errors.ts';
import { Id, readOnly } from '../schemas.ts';
import { RecallProgress } from './lot-status-args.ts';

/**
 * `get_recall`: a recall's (or quarantine's) progress — per holder what it had, consumed before, returned, still out.
 */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'get_recall',
    {
      title: 'Recall progress · Avanzamento del richiamo',
      description:
        'The progress of a recall or quarantine, computed from the ledger: for every location ' +
        'that held the lot, what it had when the recall opened (atRecall), what was consumed ' +
        'before (consumedBefore: patients may have received it), what it has returned since ' +
        'and what is still out (stillOut); totals, and closable when nothing is out. Give ' +
        "recall_id (from recall_lot), or lot_id for the lot's latest recall or quarantine.",
      inputSchema: { recall_id: Id('recall').optional(), lot_id: Id('lot').optional() },
      outputSchema: RecallProgress,
      annotations: readOnly,
    },
    async (args) =>
      run(async () => {
        let recallId = args.recall_id;
        if (!recallId && args.lot_id) {
          const [latest] = (await listRecalls({ ctx, input: { lotId: args.lot_id, limit: 1 } })).data;
          if (!latest) throw notFound('recall', `of lot ${args.lot_id}`);
          recallId = latest.id;
        }
        if (!recallId)
          throw new DomainError('validation', 'validation', {
            fields: [{ field: 'recallId', message: "Give recall_id (or lot_id for the lot's latest recall)." }],
          });
        return recallProgress({ ctx, input: { recallId } });
      }),
  );
}
