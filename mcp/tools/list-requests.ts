import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from '../../api/core/context.ts';
import { listRequests, ListRequestsInput } from '../../api/requests/queues.ts';
import { coreInput, run } from '../errors.ts';
import { nextPage, pageSize, readOnly, RequestPage } from '../schemas.ts';
import { toolArgs } from '../tool-args.ts';

/** `list_requests`: the requests of the wards the token emits for, newest first. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'list_requests',
    {
      title: 'List requests · Elenco richieste',
      description:
        'Ward requests of the locations the token may emit for, newest first; ' +
        'location_id narrows to a ward (and what is below it). status open ' +
        'lists every request still waited on (submitted or in_progress) at once.',
      inputSchema: toolArgs(ListRequestsInput, {
        describe: {
          destinationId: "A ward or destination's id: its requests and those of the locations below it",
          limit: pageSize,
          cursor: nextPage,
        },
      }),
      outputSchema: RequestPage,
      annotations: readOnly,
    },
    async (args) => run(() => listRequests({ ctx, input: coreInput(args) })),
  );
}
