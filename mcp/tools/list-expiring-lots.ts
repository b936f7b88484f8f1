import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Context } from '../../api/core/context.ts';
import { expiringStock, ExpiringStockInput } from '../../api/lots/expiring-stock.ts';
import { lotStatuses } from '../../api/core/vocabularies.ts';
import { coreInput, run } from '../errors.ts';
import { readOnly } from '../schemas.ts';
import { toolArgs } from '../tool-args.ts';

const Place = z.looseObject({ id: z.string(), code: z.string(), name: z.string() });
const ExpiringStock = z.object({
  today: z.string().describe("The hospital's date (Europe/Rome) the horizon counts from"),
  withinDays: z.number(),
  data: z.array(
    z.looseObject({
      location: Place.extend({ kind: z.string() }),
      lot: z.looseObject({
        id: z.string(),
        lotCode: z.string(),
        expiry: z.string().nullable(),
        status: z
          .enum(lotStatuses)
          .describe(
            "expired once past its expiry by the hospital's date; " +
              'recalled or quarantined stock is listed too, and is not usable',
          ),
      }),
      item: z.looseObject({ id: z.string(), code: z.string(), name: z.string(), unit: z.string() }),
      quantity: z.number(),
      daysLeft: z.number().describe('Days to expiry from today; negative: already expired'),
      value: z.number().nullable(),
    }),
  ),
  proposals: z
    .array(z.looseObject({}))
    .describe('Moves of short-dated stock to where the item is used faster, before it expires'),
});

/**
 * `list_expiring_lots`: the core's one "what expires" read — stock per location and lot expiring within a horizon, or
 * expired.
 */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'list_expiring_lots',
    {
      title: 'Expiring stock · Giacenze in scadenza',
      description:
        'What expires: stock on hand, per location and lot, that expires within within_days ' +
        "days from the hospital's today or has already expired (daysLeft < 0, status expired: " +
        'take it off the shelves), earliest expiry first, at location_id and below it or wherever ' +
        'this user may read stock. The same read the API (GET /v1/stock/expiring) and the ' +
        'chat use. proposals suggest moving short-dated stock to where it is consumed faster.',
      inputSchema: toolArgs(ExpiringStockInput, {
        describe: {
          locationId: 'A location id: it and everything below it (default: wherever this user may read stock)',
          itemId: "Only this item's lots",
          withinDays: 'Horizon in days from today (default 30); already expired stock is always included',
          rateDays: 'Days of past consumption the move proposals judge use rates on (default 30)',
        },
      }),
      outputSchema: ExpiringStock,
      annotations: readOnly,
    },
    async (args) => run(() => expiringStock({ ctx, input: coreInput(args) })),
  );
}
