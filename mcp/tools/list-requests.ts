import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Context } from '../../api/core/context.ts';
import { listRequests } from '../../api/requests/queues.ts';
import { requestStatuses } from '../../db/schema/index.ts';
import { coreInput, run } from '../errors.ts';
import { Cursor, Id, Limit, readOnly, RequestPage } from '../schemas.ts';

/** `list_requests`: the requests of the wards the token emits for, newest first. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool('list_requests', {
    title: 'List requests · Elenco richieste',
    description: 'Ward requests of the locations the token may emit for, newest first; location_id narrows to a ward (and what is below it). Open requests are those with status submitted (not yet processed) or in_progress: call once per status to list them.',
    inputSchema: {
      location_id: Id('ward or destination').optional(),
      status: z.enum(requestStatuses).optional(),
      limit: Limit,
      cursor: Cursor,
    },
    outputSchema: RequestPage,
    annotations: readOnly,
  }, async ({ location_id, ...args }) => run(() => listRequests({ ctx, input: coreInput({ ...args, destination_id: location_id }) })));
}
