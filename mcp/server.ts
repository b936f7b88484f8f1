import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { Context } from '../api/core/context.ts';
import { refusalsAsProtocolErrors } from './errors.ts';
import { registerPrompts } from './prompts.ts';
import { registerResources } from './resources.ts';
import * as emitRequest from './tools/emit-request.ts';
import * as getPatientSupplies from './tools/get-patient-supplies.ts';
import * as getRecall from './tools/get-recall.ts';
import * as getRequest from './tools/get-request.ts';
import * as getStock from './tools/get-stock.ts';
import * as listAlerts from './tools/list-alerts.ts';
import * as listExpiringLots from './tools/list-expiring-lots.ts';
import * as listRequests from './tools/list-requests.ts';
import * as quarantineLot from './tools/quarantine-lot.ts';
import * as recallLot from './tools/recall-lot.ts';
import * as searchItems from './tools/search-items.ts';
import * as traceLot from './tools/trace-lot.ts';

const tools = [searchItems, getStock, emitRequest, getRequest, listRequests, traceLot, listExpiringLots, quarantineLot, recallLot, getRecall, listAlerts, getPatientSupplies];

const instructions = `Scorta: hospital and home-care logistics (items, lots with expiry, stock per location, ward requests).
You act with the token's user role and scope, never more: a refusal (a JSON-RPC error) means the user may not do it, not that the arguments are wrong.
Tool errors name the field to fix. Find ids with search_items and the scorta://locations resource. Writes (emit_request, quarantine_lot, recall_lot) need a fresh idempotency_key; reuse it only to retry the same call. recall_lot is final: confirm with the user first.`;

/**
 * Scorta asks the client nothing (no elicitation), so it needs no JSON Schema validator for answers: this
 * spares building the SDK's default (Ajv, which compiles code at run time — refused on Workers) per request.
 */
const noElicitation: jsonSchemaValidator = { getValidator: () => () => ({ valid: false, data: undefined, errorMessage: 'Scorta does not ask the client for input.' }) };

/** An MCP server for one authenticated actor: every tool, resource and prompt calls the core with `ctx`. */
export function createScortaServer(ctx: Context): McpServer {
  const server = new McpServer({ name: 'scorta', title: 'Scorta', version: '0.1.0' }, { instructions, jsonSchemaValidator: noElicitation });
  for (const tool of tools) tool.register(server, ctx);
  registerResources(server, ctx);
  registerPrompts(server);
  refusalsAsProtocolErrors(server);
  return server;
}
