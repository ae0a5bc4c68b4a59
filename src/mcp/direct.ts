import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import type { Services } from '../services.js';
import { callTypedTool, type ToolCaller } from './calls.js';
import type { McpCatalog } from './server.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const MESSAGE_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const PARAMS_KEYS = new Set(['name', 'arguments']);
const onlyKeys = (value: Record<string, unknown>, allowed: Set<string>) => {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
};

/**
 * The one message the hot path answers without building an SDK server per request: a single
 * JSON-RPC `tools/call` of a typed tool, with exactly the shape the SDK would accept and act on
 * the same way, i.e. `{jsonrpc:"2.0", id, method:"tools/call", params:{name, arguments?}}` under the
 * headers the SDK's Streamable HTTP transport requires (Accept with both JSON and event stream,
 * a JSON Content-Type, a supported or absent MCP-Protocol-Version). It runs the same
 * `callTypedTool` as the SDK path (rate limit, idempotency key, runOperation: scopes, validation,
 * policy, audit) and answers the same JSON-RPC response. Anything else (initialize, lists,
 * resources, the `request` tool, batches, notifications, `_meta` or `task` params, unknown tools,
 * malformed JSON or JSON-RPC, bad headers) answers `undefined` and goes to the SDK, which answers
 * it and its errors as before.
 */
export async function answerTypedCall(
  services: Services,
  catalog: McpCatalog,
  headers: Headers,
  body: string,
  who: ToolCaller,
  responseHeaders: Record<string, string>,
): Promise<Response | undefined> {
  const accept = headers.get('accept');
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  if (!isJsonContentType(headers.get('content-type'))) return undefined;
  const version = headers.get('mcp-protocol-version');
  if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isPlainObject(message) || !onlyKeys(message, MESSAGE_KEYS)) return undefined;
  const { jsonrpc, id, method, params } = message;
  if (jsonrpc !== '2.0' || method !== 'tools/call') return undefined;
  if (typeof id !== 'string' && !Number.isInteger(id)) return undefined;
  if (!isPlainObject(params) || !onlyKeys(params, PARAMS_KEYS)) return undefined;
  const { name, arguments: args } = params;
  if (typeof name !== 'string' || (args !== undefined && !isPlainObject(args))) return undefined;
  let resolved: ReturnType<McpCatalog['resolve']>;
  try {
    resolved = catalog.resolve(name, args);
  } catch {
    return undefined; // The SDK path answers the refusal as a tool result.
  }
  if (!resolved) return undefined;
  const result = await callTypedTool(services, resolved.operation, resolved.args, who);
  return new Response(JSON.stringify({ result, jsonrpc: '2.0', id }), {
    status: 200,
    headers: { 'content-type': 'application/json', ...responseHeaders },
  });
}
