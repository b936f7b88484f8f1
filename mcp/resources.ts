import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { searchItems } from '../api/catalogue/items.ts';
import type { Context } from '../api/core/context.ts';
import { listLocations } from '../api/locations/locations.ts';
import { traceLot } from '../api/lots/trace-lot.ts';
import { read } from './errors.ts';

const json = (uri: URL, value: unknown) => ({
  contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
});

type Node = { id: string; code: string; name: string; kind: string; parentId: string | null; children: Node[] };

/** Nests locations (ordered by path, parents first) into a tree. */
function tree(rows: { id: string; code: string; name: string; kind: string; parentId: string | null }[]): Node[] {
  const byId = new Map<string, Node>();
  const roots: Node[] = [];
  for (const { id, code, name, kind, parentId } of rows) {
    const node: Node = { id, code, name, kind, parentId, children: [] };
    byId.set(id, node);
    (parentId && byId.get(parentId) ? byId.get(parentId)!.children : roots).push(node);
  }
  return roots;
}

/** Documents an assistant can read: the catalogue, the location tree, a lot's trace. */
export function registerResources(server: McpServer, ctx: Context) {
  server.registerResource(
    'items',
    'scorta://items',
    {
      title: 'Item catalogue · Catalogo articoli',
      description: "The first 500 items of the organisation's catalogue by code (search_items finds the rest).",
      mimeType: 'application/json',
    },
    (uri) => read(async () => json(uri, await searchItems({ ctx, input: { limit: 500 } }))),
  );

  server.registerResource(
    'locations',
    'scorta://locations',
    {
      title: 'Location tree · Albero dei luoghi',
      description:
        'Warehouses, pharmacy, wards with their stores and cabinets, ' +
        "home-care teams with patients' homes, as a tree (up to 500 locations).",
      mimeType: 'application/json',
    },
    (uri) =>
      read(async () => {
        const page = await listLocations({ ctx, input: { limit: 500 } });
        return json(uri, { tree: tree(page.data), truncated: page.nextCursor !== null });
      }),
  );

  server.registerResource(
    'lot-trace',
    new ResourceTemplate('scorta://lots/{lotId}/trace', { list: undefined }),
    {
      title: 'Lot trace · Tracciabilità del lotto',
      description:
        "A lot's trace as a document: holders with what they still hold, and the first 500 movements of its timeline.",
      mimeType: 'application/json',
    },
    (uri, { lotId }) =>
      read(async () => json(uri, await traceLot({ ctx, input: { lotId: String(lotId), limit: 500 } }))),
  );
}
