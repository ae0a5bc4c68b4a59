import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorText } from '../answer/render.js';
import { AppError } from '../errors.js';
import { noteStepUp, type ToolCaller } from './calls.js';

const argsSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
  path: z
    .string()
    .min(1)
    .max(4000)
    .regex(/^\/(?!\/)/, 'a path on this server starting with a single /, e.g. /contacts?search=acme'),
  body: z.record(z.string(), z.unknown()).optional(),
});

export interface InnerRequest {
  /** The app's own fetch, called in-process: same routes, auth, scopes, rate limits and policy. */
  fetch(request: Request): Promise<Response>;
  /** Origin used to build the in-process URL (only the path and query matter to the routes). */
  origin: string;
  /** Headers of the /mcp request passed through: the caller's Authorization, and X-Forwarded-For. */
  headers: Record<string, string>;
}

function refused(message: string, hint: string, requestId: string): CallToolResult {
  const text = errorText(new AppError('invalid_input', message, hint), {
    format: 'text',
    requestId,
    idempotencyKey: null,
    operationName: null,
  });
  return { isError: true, content: [{ type: 'text', text }] };
}

/**
 * The manual's generic tool: method + path + optional body, answered with exactly the plain text
 * the HTTP API returns for that request made with the caller's own token. An HTTP error status
 * makes the result an error (`isError`); its text already holds the code and the hint.
 */
export async function callRequestTool(
  inner: InnerRequest,
  args: Record<string, unknown> | undefined,
  requestId: string,
  who: ToolCaller,
): Promise<CallToolResult> {
  const parsed = argsSchema.safeParse(args ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`,
    );
    return refused(
      problems.join('; '),
      'send {"method":"GET","path":"/contacts?search=acme"}; add "body":{…} for POST, PATCH and PUT',
      requestId,
    );
  }
  const { method, path, body } = parsed.data;
  const url = new URL(path, inner.origin);
  if (url.origin !== inner.origin) {
    return refused('path must stay on this server', 'send a path such as /contacts', requestId);
  }
  if (url.pathname === '/mcp' || url.pathname.startsWith('/mcp/')) {
    return refused('the request tool does not call /mcp itself', 'call the API route you need', requestId);
  }
  if (body !== undefined && (method === 'GET' || method === 'DELETE')) {
    return refused(
      `${method} takes no body`,
      'put filters and options in the query string, e.g. /contacts?stage=lead',
      requestId,
    );
  }
  const response = await inner.fetch(
    new Request(url, {
      method,
      headers: {
        ...inner.headers,
        accept: 'text/plain',
        'x-request-id': requestId,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }),
  );
  const text = await response.text();
  // A refusal for scope names the wider scope in its challenge (RFC 6750): an OAuth client steps up.
  const wanted = response.headers
    .get('www-authenticate')
    ?.match(/error="insufficient_scope", scope="([a-z ]+)"/)?.[1];
  if (response.status === 403 && wanted) {
    noteStepUp(who, {
      scope: wanted.split(' '),
      message: `${method} ${url.pathname} needs the scope "${wanted}"; this token has ${who.caller.scopes.join(', ')}`,
      hint: `authorize again with scope "${wanted}"`,
    });
  }
  return { content: [{ type: 'text', text }], ...(response.status >= 400 ? { isError: true } : {}) };
}
