import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from '../../api/core/context.ts';
import { getRequest } from '../../api/requests/get-request.ts';
import { run } from '../errors.ts';
import { Id, readOnly, Request } from '../schemas.ts';

/** `get_request`: one request's status, line by line. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool(
    'get_request',
    {
      title: 'Request status · Stato di una richiesta',
      description:
        'One ward request with its status (submitted, in_progress, completed, cancelled) and ' +
        'each line: its section, status (routed, approved, rejected, picking, ordered, ' +
        'partially_issued, issued, cancelled), quantities requested, approved, issued and outstanding.',
      inputSchema: { request_id: Id('request') },
      outputSchema: Request,
      annotations: readOnly,
    },
    async ({ request_id }) => run(() => getRequest({ ctx, id: request_id })),
  );
}
