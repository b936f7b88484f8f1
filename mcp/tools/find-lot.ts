import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Context } from '../../api/core/context.ts';
import { findLot, FindLotInput } from '../../api/lots/find-lot.ts';
import { lotStatuses } from '../../api/core/vocabularies.ts';
import { coreInput, run } from '../errors.ts';
import { readOnly } from '../schemas.ts';
import { toolArgs } from '../tool-args.ts';

const FoundLots = z.object({
  data: z.array(
    z.looseObject({
      id: z.string(),
      lotCode: z.string(),
      expiry: z.string().nullable(),
      status: z.enum(lotStatuses),
      itemId: z.string(),
      item: z.looseObject({ code: z.string(), name: z.string() }),
      heldAt: z.array(
        z.object({
          location: z.looseObject({ id: z.string(), code: z.string(), name: z.string(), kind: z.string() }),
          onHand: z.number(),
          detail: z
            .enum(['full', 'totals'])
            .describe('totals: a location this user may not read in detail (trace_lot leaves its movements out)'),
        }),
      ),
      onHand: z.number().describe('Units on hand over every holder'),
    }),
  ),
});

/** `find_lot`: a lot by its printed code — status, expiry and where it is held now (under the read rule). */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'find_lot',
    {
      title: 'Find a lot · Trova un lotto',
      description:
        'Finds a lot by the code printed on the pack (exact, e.g. G-EARLY), optionally ' +
        'for one item: its id, item, expiry, status (available, quarantined, recalled, ' +
        'expired) and where it is held now with the quantity on hand. One entry per item ' +
        'using the code. Use the id with trace_lot, get_stock, quarantine_lot or recall_lot.',
      inputSchema: toolArgs(FindLotInput),
      outputSchema: FoundLots,
      annotations: readOnly,
    },
    async (args) => run(() => findLot({ ctx, input: coreInput(args) })),
  );
}
