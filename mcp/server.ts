import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from '../api/core/context.ts';
import { refusalsAsProtocolErrors } from './errors.ts';
import { portableToolSchemas } from './portable-schemas.ts';
import { confirmAnswerValidator } from './proposal.ts';
import { registerPrompts } from './prompts.ts';
import { registerResources } from './resources.ts';
import * as cancelProposal from './tools/cancel-proposal.ts';
import * as confirmProposal from './tools/confirm-proposal.ts';
import * as emitRequest from './tools/emit-request.ts';
import * as findLot from './tools/find-lot.ts';
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

const tools = [
  searchItems,
  getStock,
  emitRequest,
  getRequest,
  listRequests,
  findLot,
  traceLot,
  listExpiringLots,
  quarantineLot,
  recallLot,
  confirmProposal,
  cancelProposal,
  getRecall,
  listAlerts,
  getPatientSupplies,
];

const instructions = `Scorta: hospital and home-care logistics (items, lots with expiry, stock per location, ward \
requests).
You act with the token's user role and scope, never more: a refusal (a JSON-RPC error) means the user may not do it, \
not that the arguments are wrong.
Tool errors name the field to fix. Find ids with search_items, find_lot (a lot by its printed code) and the \
scorta://locations resource.
Writes only propose: emit_request, quarantine_lot and recall_lot record a proposal and write nothing; they answer with \
what would happen, in Italian and English, read from Scorta. Show that text to the user word for word and call \
confirm_proposal with the proposal id only after the user agrees (cancel_proposal otherwise). A client that can ask \
its user (form elicitation) is asked yes or no by Scorta itself, and the answer is applied in the same call (see \
decision). A confirmation is done once, however often it is sent; a proposal expires (expiresAt) and only its own user \
may confirm it. A confirmed recall is final.`;

/** An MCP server for one authenticated actor: every tool, resource and prompt calls the core with `ctx`. */
export function createScortaServer(ctx: Context): McpServer {
  const server = new McpServer(
    { name: 'scorta', title: 'Scorta', version: '0.1.0' },
    { instructions, jsonSchemaValidator: confirmAnswerValidator },
  );
  for (const tool of tools) tool.register(server, ctx);
  registerResources(server, ctx);
  registerPrompts(server);
  refusalsAsProtocolErrors(server);
  portableToolSchemas(server);
  return server;
}
