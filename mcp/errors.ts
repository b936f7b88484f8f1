import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode as RpcCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { DomainError, type ErrorCode } from '../api/core/errors.ts';

/** JSON-RPC error code of a refused call (application range): the token may not do this, whatever the arguments. */
export const FORBIDDEN = -32003;
/** JSON-RPC error code of a missing, unknown, revoked or expired token. */
export const UNAUTHORIZED = -32004;
/** The code MCP uses for a resource that does not exist. */
export const RESOURCE_NOT_FOUND = -32002;

const deniedKey = 'scorta/denied';

/**
 * `destinationId` → `destination_id`, `lines.0.itemId` → `lines.0.item_id`: the core's field names as the tools spell
 * them.
 */
export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A tool's snake_case arguments as the core's camelCase input (deeply, through arrays of objects). */
// biome-ignore lint/suspicious/noExplicitAny: each core action re-parses its input with its own zod schema
export function coreInput(value: unknown): any {
  if (Array.isArray(value)) return value.map(coreInput);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [camelCase(k), coreInput(v)]),
    );
  return value;
}

/**
 * What a model reads when the core refuses: the reason in English, the failing fields in the tools' names, then
 * Italian.
 */
function describe(error: DomainError): string {
  const fields = error.fields.map((f) => `- ${snakeCase(f.field)}: ${f.message}`);
  return [
    `${error.code}: ${error.localized('en')}`,
    ...(fields.length ? ['Fields to fix:', ...fields] : []),
    `(it) ${error.localized('it')}`,
  ].join('\n');
}

/**
 * One switch for every tool: which core errors the model can fix (tool errors) and which are refusals (protocol
 * errors).
 */
export function toolError(error: unknown): CallToolResult {
  if (!(error instanceof DomainError)) {
    console.error('mcp tool failed', error);
    return {
      isError: true,
      content: [
        {
          type: 'text',
          text:
            'internal: Something went wrong on our side; the call ' +
            'was not applied. (it) Si è verificato un errore interno.',
        },
      ],
    };
  }
  const code: ErrorCode = error.code;
  switch (code) {
    case 'validation':
    case 'not_found':
    case 'conflict':
    case 'precondition_failed':
    case 'internal':
      return { isError: true, content: [{ type: 'text', text: describe(error) }] };
    case 'forbidden':
    case 'unauthorized':
      // Marked here, turned into a JSON-RPC error by `refusalsAsProtocolErrors` (the SDK wraps every thrown error as a tool result).
      return {
        isError: true,
        content: [{ type: 'text', text: error.localized('en') }],
        _meta: { [deniedKey]: { code, message: error.localized('en'), action: error.context.action ?? null } },
      };
  }
}

/** Runs a core call for a tool: its result as structured content (JSON-safe) and as text, or the mapped error. */
export async function run(work: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    const data = JSON.parse(JSON.stringify(await work())) as Record<string, unknown>;
    return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
  } catch (error) {
    return toolError(error);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the SDK's handlers return its own result types, wrapped unchanged
type Handler = (request: unknown, extra: unknown) => Promise<any>;

/**
 * Authorization failures are protocol errors, not tool results: the model must not retry them with other
 * arguments. McpServer catches whatever a tool throws, so the tools mark refusals and this wraps its
 * `tools/call` handler to raise them as JSON-RPC errors. Call it after every tool is registered.
 */
export function refusalsAsProtocolErrors(server: McpServer): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, Handler> })._requestHandlers;
  const call = handlers?.get('tools/call');
  if (!handlers || !call) throw new Error('MCP SDK internals changed: no tools/call handler to wrap');
  handlers.set('tools/call', async (request, extra) => {
    const result = await call(request, extra);
    const denied = result?._meta?.[deniedKey] as
      | { code: 'forbidden' | 'unauthorized'; message: string; action: string | null }
      | undefined;
    if (denied)
      throw new McpError(denied.code === 'forbidden' ? FORBIDDEN : UNAUTHORIZED, denied.message, {
        code: denied.code,
        action: denied.action,
      });
    return result;
  });
}

/** Resources and prompts have no tool results: every core error is a JSON-RPC error there. */
export function protocolError(error: unknown): McpError {
  if (!(error instanceof DomainError)) {
    console.error('mcp read failed', error);
    return new McpError(RpcCode.InternalError, 'Something went wrong on our side.');
  }
  const codes: Record<ErrorCode, number> = {
    validation: RpcCode.InvalidParams,
    not_found: RESOURCE_NOT_FOUND,
    conflict: RpcCode.InvalidParams,
    precondition_failed: RpcCode.InvalidParams,
    forbidden: FORBIDDEN,
    unauthorized: UNAUTHORIZED,
    internal: RpcCode.InternalError,
  };
  return new McpError(codes[error.code], describe(error), { code: error.code, fields: error.fields });
}

/** Runs a read for a resource or prompt, turning core errors into protocol errors. */
export async function read<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw protocolError(error);
  }
}
