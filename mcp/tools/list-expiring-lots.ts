import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Context } from '../../api/core/context.ts';
import { localDate } from '../../api/core/time.ts';
import { listLots } from '../../api/lots/list-lots.ts';
import { run } from '../errors.ts';
import { Cursor, Id, Limit, LotPage, readOnly } from '../schemas.ts';

const day = 86_400_000;

/** `list_expiring_lots`: lots of the organisation by expiry, usable ones within a horizon or those already expired. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool('list_expiring_lots', {
    title: 'Expiring lots · Lotti in scadenza',
    description: 'Lots of the organisation, earliest expiry first. status available (default): lots still usable that expire within within_days days from today; status expired: lots already past their expiry, to take off the shelves. Lots are organisation-wide: call get_stock with lot_id to see where one is held.',
    inputSchema: {
      within_days: z.number().int().min(0).max(730).optional().describe('Horizon in days from today (default 30)'),
      status: z.enum(['available', 'expired']).optional().describe('available (default) or expired'),
      item_id: Id('item').optional(),
      limit: Limit,
      cursor: Cursor,
    },
    outputSchema: LotPage,
    annotations: readOnly,
  }, async (args) => run(async () => {
    const expiringBy = localDate(new Date(ctx.now().getTime() + (args.within_days ?? 30) * day));
    const page = await listLots({ ctx, input: { itemId: args.item_id, status: args.status ?? 'available', expiringBy, limit: args.limit, cursor: args.cursor } });
    return { ...page, expiringBy };
  }));
}
