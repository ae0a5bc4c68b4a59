import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { AppError, isAppError } from '../errors.js';
import type { AnyOperation } from '../operations/define.js';
import type { Services } from '../services.js';
import { callTypedTool, internalError, type ToolCaller, toolError } from './calls.js';
import { FIND_TOOL } from './core-tools.js';
import { findOperations, type ResolvedCall } from './generic-calls.js';
import { recordTemplates } from './record-resources.js';
import { callRequestTool, type InnerRequest } from './request-tool.js';
import { REQUEST_TOOL } from './tools.js';

/** What the server answers from, computed once per app; only the caller changes per request. */
export interface McpCatalog {
  tools: Tool[];
  /** Every operation of the registry (find_operation searches them). */
  operations: readonly AnyOperation[];
  /**
   * The operation a tool call runs, with its typed-tool arguments: a typed tool by name, or a
   * generic one (records_*, call_operation) resolved; `undefined` when no such tool is offered.
   * Throws the invalid_input a caller should see for a generic call it cannot resolve.
   */
  resolve(name: string, args: Record<string, unknown> | undefined): ResolvedCall | undefined;
  manual: () => string;
  catalog: () => string;
}

export const INSTRUCTIONS =
  'agentcrm is a CRM you operate: contacts, companies, deals, activities, tasks, reminders. ' +
  'Read the resource "manual" first. records_search/get/create/update work on contacts, companies, ' +
  'deals and tasks; find_operation and call_operation reach every other operation. Typed tools answer ' +
  'with the JSON envelope (outcome, data, policy, next_actions) and its text; the `request` tool calls ' +
  'any route of the manual and answers its plain text. Writes carry an idempotency_key; add "reason" to say why.';

/**
 * The SDK's JSON Schema validator (it checks elicitation answers, which this server never asks for).
 * The Server builds a new Ajv instance when given none: about 0.3 ms of CPU and much garbage per
 * request. It holds no per-connection state, so one serves every request of the process.
 */
const jsonSchemaValidator = new AjvJsonSchemaValidator();

/** The resources both revisions serve: the manual and the tool catalog. */
export function mcpResources(services: Services, catalog: McpCatalog) {
  const base = services.config.publicUrl;
  const resource = (
    name: string,
    path: string,
    title: string,
    description: string,
    mimeType: string,
    text: () => string,
  ) => ({
    name,
    uri: `${base}${path}`,
    metadata: { title, description, mimeType },
    read: async (uri: URL) => ({ contents: [{ uri: uri.href, mimeType, text: text() }] }),
  });
  return [
    resource(
      'manual',
      '/help',
      'agentcrm manual',
      'GET /help: every route, convention and error',
      'text/plain',
      catalog.manual,
    ),
    resource(
      'tool-catalog',
      '/agentcrm-tools.json',
      'agentcrm tool catalog',
      'Every operation with its input schema, flags and reason codes',
      'application/json',
      catalog.catalog,
    ),
  ];
}

/**
 * One MCP server for one HTTP request (stateless: nothing lives in this process between
 * requests, so any process behind a load balancer can answer any call). Tools are served through
 * the low-level handlers so their JSON Schemas and validation errors are ours (the registry's),
 * not re-derived by the SDK; resources go through McpServer.registerResource.
 */
export function createMcpServer(
  services: Services,
  catalog: McpCatalog,
  who: ToolCaller,
  inner: InnerRequest,
): McpServer {
  const mcp = new McpServer(
    { name: 'agentcrm', version: '0.1.0' },
    { instructions: INSTRUCTIONS, jsonSchemaValidator },
  );
  for (const resource of mcpResources(services, catalog))
    mcp.registerResource(resource.name, resource.uri, resource.metadata, resource.read);
  for (const record of recordTemplates(services, who))
    mcp.registerResource(
      record.name,
      new ResourceTemplate(record.template, { list: undefined }),
      record.metadata,
      record.read,
    );
  const server = mcp.server;
  server.registerCapabilities({ tools: {} });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: catalog.tools }));
  server.setRequestHandler(CallToolRequestSchema, (request) =>
    answerToolCall(services, catalog, who, inner, request.params.name, request.params.arguments),
  );
  return mcp;
}

/**
 * Answers one tools/call, whichever protocol revision carried it (server.ts for 2025-11-25,
 * modern.ts for 2026-07-28): a typed or generic tool runs its operation through callTypedTool,
 * find_operation reads the catalog, request calls the app in-process. Every failure is a result
 * with isError, never a protocol error.
 */
export async function answerToolCall(
  services: Services,
  catalog: McpCatalog,
  who: ToolCaller,
  inner: InnerRequest,
  name: string,
  args: Record<string, unknown> | undefined,
): Promise<CallToolResult> {
  const requestId = services.ids.next('req');
  const meta = { format: 'text' as const, requestId, idempotencyKey: null, operationName: null };
  try {
    const resolved = catalog.resolve(name, args);
    if (resolved) return await callTypedTool(services, resolved.operation, resolved.args, who);
    if (name === FIND_TOOL && catalog.tools.some((tool) => tool.name === FIND_TOOL)) {
      const found = findOperations(catalog.operations, args ?? {});
      return { content: [{ type: 'text', text: JSON.stringify(found) }], structuredContent: found };
    }
    if (name === REQUEST_TOOL && catalog.tools.some((tool) => tool.name === REQUEST_TOOL))
      return await callRequestTool(inner, args, requestId, who);
  } catch (error) {
    if (isAppError(error)) return toolError(error, { ...meta, format: 'json' });
    return toolError(internalError(services, error, requestId), meta);
  }
  return toolError(
    new AppError('not_found', `no tool named "${name}"`, 'list the tools (tools/list) and call one of them'),
    meta,
  );
}
