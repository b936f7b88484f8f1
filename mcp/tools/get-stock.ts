import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from '../../api/core/context.ts';
import { stockCover } from '../../api/replenishment/stock-cover.ts';
import { getStock, GetStockInput } from '../../api/stock/get-stock.ts';
import { coreInput, run } from '../errors.ts';
import { nextPage, pageSize, readOnly, StockPage } from '../schemas.ts';
import { toolArgs } from '../tool-args.ts';

/** `get_stock`: stock on hand by location × lot with availability; with a location, days of cover per item. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'get_stock',
    {
      title: 'Get stock · Giacenze',
      description:
        'Stock on hand by location and lot, with availability (expired, quarantined and recalled ' +
        'stock is on hand but not available) and, per item, totals over the whole selection. With ' +
        'location_id the totals also carry days of cover (usable stock divided by the daily consumption ' +
        'of the last 56 days there). Filter by location (and the ward stores, cabinets and homes ' +
        'below it), item or lot. A ward nurse sees her ward and the supplying warehouses only.',
      inputSchema: toolArgs(GetStockInput, {
        describe: {
          locationId: "The location's id (scorta://locations)",
          itemId: "The item's id (search_items)",
          lotId: "The lot's id (find_lot)",
          includeDescendants: 'With a location: include the locations below it (default true)',
          limit: pageSize,
          cursor: nextPage,
        },
      }),
      outputSchema: StockPage,
      annotations: readOnly,
    },
    async (args) =>
      run(async () => {
        const stock = await getStock({ ctx, input: coreInput(args) });
        if (!args.location_id || stock.totals.length === 0) return stock;
        const cover = new Map(
          (
            await stockCover({
              ctx,
              input: { locationId: args.location_id, itemIds: stock.totals.map((t) => t.itemId) },
            })
          ).map((c) => [c.itemId, c]),
        );
        return {
          ...stock,
          totals: stock.totals.map((t) => ({
            ...t,
            daysOfCover: cover.get(t.itemId)!.daysOfCover,
            weeklyDemand: cover.get(t.itemId)!.weeklyDemand,
            onOrder: cover.get(t.itemId)!.onOrder,
          })),
        };
      }),
  );
}
