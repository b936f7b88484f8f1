import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Context } from '../../api/core/context.ts';
import { emitRequest } from '../../api/requests/emit-request.ts';
import { urgencies } from '../../db/schema/index.ts';
import { coreInput, run } from '../errors.ts';
import { EmittedRequest, Id } from '../schemas.ts';
import { text } from '../../api/core/text.ts';

/** `emit_request`: a ward request, idempotent on the caller's key; returns the request as created. */
export function register(server: McpServer, ctx: Context) {
  server.registerTool('emit_request', {
    title: 'Emit a ward request · Emetti una richiesta',
    description: 'Emits a ward request for a destination (a ward — its store receives —, a ward store, a cabinet or a patient\'s home) with one line per item. Each line is routed to the competent procurement section. Returns the request as created (number, status, lines). Retrying with the same idempotency_key returns the same request (replayed: true) and creates nothing; a new request needs a new key.',
    inputSchema: {
      destination_id: Id('destination location (ward, ward store, cabinet or home)'),
      urgency: z.enum(urgencies).optional().describe('normal (default), urgent, or emergency'),
      needed_by: z.iso.datetime({ offset: true }).optional().describe('When the goods are needed, ISO 8601 with offset, e.g. 2026-11-24T08:00:00+01:00'),
      note: text().trim().min(1).max(1000).optional(),
      lines: z.array(z.object({ item_id: Id('item'), quantity: z.number().int().positive().describe('Units (the item\'s unit, not packs)') })).min(1).max(200).describe('One line per item'),
      idempotency_key: text().trim().min(1).max(200).describe('A fresh unique string for this request (e.g. a UUID); send the same one only when retrying the same call'),
    },
    outputSchema: EmittedRequest,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, async (args) => run(() => emitRequest({ ctx, input: coreInput(args) })));
}
