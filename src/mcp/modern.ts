import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  createMcpHandler,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  isLegacyRequest,
  type ListToolsResult,
  McpServer,
  ResourceTemplate,
  type ServerContext,
} from '@modelcontextprotocol/server';

import type { Services } from '../services.js';
import type { ToolCaller } from './calls.js';
import { recordTemplates } from './record-resources.js';
import type { InnerRequest } from './request-tool.js';
import { answerToolCall, INSTRUCTIONS, type McpCatalog, mcpResources } from './server.js';

/** Who is calling and how `request` reaches the app: what one request's server instance needs. */
interface PerRequest {
  who: ToolCaller;
  inner: InnerRequest;
}

/**
 * The 2026-07-28 revision of MCP (stateless: every request carries its protocol version, client
 * info and capabilities in `_meta`; `server/discover` instead of `initialize`), served by the
 * official SDK v2 from the same catalog, tools and calls as the 2025-11-25 path in server.ts.
 * `isModern` routes a request exactly as the SDK would; 2025-era requests stay on the v1 path
 * (its transport and the fast path of direct.ts), so existing clients see no change.
 */
export function createModernMcp(services: Services, catalog: McpCatalog) {
  // The same tool objects as the 2025 path; the v2 types spell JSON Schema more narrowly.
  const tools = catalog.tools as unknown as ListToolsResult['tools'];
  const handler = createMcpHandler(
    (context) => {
      const perRequest = context.authInfo?.extra as PerRequest | undefined;
      if (!perRequest) throw new Error('an MCP 2026-07-28 request reached the SDK without its caller');
      const { who, inner } = perRequest;
      const mcp = new McpServer({ name: 'agentcrm', version: '0.1.0' }, { instructions: INSTRUCTIONS });
      for (const resource of mcpResources(services, catalog))
        mcp.registerResource(resource.name, resource.uri, resource.metadata, resource.read);
      for (const record of recordTemplates(services, who))
        mcp.registerResource(
          record.name,
          new ResourceTemplate(record.template, { list: undefined }),
          record.metadata,
          record.read,
        );
      mcp.server.registerCapabilities({ tools: {} });
      mcp.server.setRequestHandler('tools/list', () => ({ tools }));
      mcp.server.setRequestHandler('tools/call', async (request, ctx) => {
        const args = request.params.arguments;
        const result = await answerToolCall(services, catalog, who, inner, request.params.name, args);
        return askForApproval(services.config.publicUrl, result as CallToolResult, args, ctx) ?? result;
      });
      return mcp;
    },
    {
      legacy: 'reject',
      maxRequestBodySize: services.config.maxBodyBytes,
      onerror: (error) => services.logger.warn({ err: error }, 'MCP 2026-07-28 request refused'),
    },
  );
  return {
    /** Whether the SDK would serve this request as 2026-07-28 (its body already parsed, or undefined). */
    isModern: async (request: Request, parsedBody: unknown) => !(await isLegacyRequest(request, parsedBody)),
    fetch: (request: Request, perRequest: PerRequest) =>
      handler.fetch(request, {
        // The caller was authenticated before (routes.ts); the SDK passes this through untouched.
        authInfo: { token: '', clientId: 'agentcrm', scopes: [], extra: { ...perRequest } },
      }),
  };
}

/**
 * A call answered `proposed`, from a client that declared URL elicitation, first sends the person
 * to the proposal on the approvals page (an input_required result); the client retries the same
 * call once they are back, and the retry (the same idempotency key, so the stored answer, never a
 * second proposal) is the complete result with the proposal id to poll. Calls without a key, and
 * clients that did not declare URL elicitation, get the complete result at once.
 */
function askForApproval(
  base: string,
  result: CallToolResult,
  args: Record<string, unknown> | undefined,
  ctx: ServerContext,
): InputRequiredResult | undefined {
  const answer = result.structuredContent as { outcome?: string; data?: { id?: unknown } } | undefined;
  const proposalId = answer?.data?.id;
  if (answer?.outcome !== 'proposed' || typeof proposalId !== 'string') return undefined;
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const capabilities = envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
  if (!capabilities?.elicitation?.url) return undefined;
  if (inputResponse(ctx.mcpReq.inputResponses, 'approval').kind !== 'missing') return undefined;
  const nested = args?.arguments as Record<string, unknown> | undefined;
  if (typeof args?.idempotency_key !== 'string' && typeof nested?.idempotency_key !== 'string')
    return undefined;
  return inputRequired({
    inputRequests: {
      approval: inputRequired.elicitUrl({
        message:
          `A person must approve this change before it applies (proposal ${proposalId}). ` +
          'Open the page to decide or to ask someone who can; this call then answers with the proposal to poll.',
        url: `${base}/human/approvals#proposal-${proposalId}`,
      }),
    },
  });
}
