import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { searchItems } from '../../api/catalogue/items.ts';
import type { Context } from '../../api/core/context.ts';
import { supplyModes } from '../../db/schema/index.ts';
import { coreInput, run } from '../errors.ts';
import { Cursor, Id, ItemPage, Limit, readOnly } from '../schemas.ts';
import { text } from '../../api/core/text.ts';

/** `search_items`: the catalogue by code, GTIN, or words of the Italian or English name and synonyms. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool('search_items', {
    title: 'Search items · Cerca articoli',
    description: 'Finds catalogue items by code, GTIN (8–14 digits), or words of their Italian or English names and synonyms (accents and case ignored, every word must match the start of a word). Exact code or GTIN matches come first. Use the returned item id with get_stock or emit_request.',
    inputSchema: {
      q: text().trim().max(200).optional().describe('Code, GTIN or words, e.g. "siringa 10", "nitrile gloves", "08012345000012"'),
      category_id: Id('category').optional(),
      supply_mode: z.enum(supplyModes).optional().describe('stock: kept in stock; pass_through: bought on demand'),
      limit: Limit,
      cursor: Cursor,
    },
    outputSchema: ItemPage,
    annotations: readOnly,
  }, async (args) => run(() => searchItems({ ctx, input: coreInput(args) })));
}
