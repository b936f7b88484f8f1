import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { searchItems, SearchItemsInput } from '../../api/catalogue/items.ts';
import type { Context } from '../../api/core/context.ts';
import { coreInput, run } from '../errors.ts';
import { ItemPage, nextPage, pageSize, readOnly } from '../schemas.ts';
import { toolArgs } from '../tool-args.ts';

/** `search_items`: the catalogue by code, GTIN, or words of the Italian or English name and synonyms. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'search_items',
    {
      title: 'Search items · Cerca articoli',
      description:
        'Finds catalogue items by code, GTIN (8–14 digits), or words of their Italian or English ' +
        'names and synonyms (accents and case ignored, every word must match the start of a word). ' +
        'Exact code or GTIN matches come first. Use the returned item id with get_stock or emit_request.',
      inputSchema: toolArgs(SearchItemsInput, {
        describe: {
          q: 'Code, GTIN or words, e.g. "siringa 10", "nitrile gloves", "08012345000012"',
          categoryId: "The category's id",
          supplyMode: 'stock: kept in stock; pass_through: bought on demand',
          limit: pageSize,
          cursor: nextPage,
        },
      }),
      outputSchema: ItemPage,
      annotations: readOnly,
    },
    async (args) => run(() => searchItems({ ctx, input: coreInput(args) })),
  );
}
