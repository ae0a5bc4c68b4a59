import type { Context } from 'hono';
import type { Format } from '../answer/envelope.js';
import { AppError } from '../errors.js';
import type { AnyOperation } from '../operations/define.js';
import { jsonTooDeep, MAX_JSON_DEPTH } from '../operations/json-depth.js';
import { allowedFields } from '../operations/validation.js';

/** Query parameters that steer the transport and never reach an operation. */
const utf8 = new TextDecoder();

const TRANSPORT_PARAMS = new Set(['format', 'dry_run', 'fields', 'expand']);

export function negotiateFormat(c: Context): Format {
  const format = c.req.query('format');
  if (format === 'json') return 'json';
  if (format === 'text') return 'text';
  return (c.req.header('accept') ?? '').includes('application/json') ? 'json' : 'text';
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(c: Context, generate: () => string): string {
  const sent = c.req.header('x-request-id');
  return sent && REQUEST_ID.test(sent) ? sent : generate();
}

/**
 * The tool an agent says it calls (X-Agent-Tool-Name), when it names the operation of this route;
 * a header naming another one is refused rather than logged against the wrong tool.
 */
export function declaredToolName(c: Context, operation: AnyOperation): string | null {
  const toolName = c.req.header('x-agent-tool-name') ?? null;
  if (toolName !== null && toolName !== operation.name) {
    throw new AppError(
      'invalid_input',
      `X-Agent-Tool-Name is "${toolName}" but ${c.req.method} ${c.req.path} is ${operation.name}`,
      `send X-Agent-Tool-Name: ${operation.name}, or leave the header out`,
    );
  }
  return toolName;
}

/**
 * The idempotency key the call carries (X-Idempotency-Key, or Idempotency-Key). Every answer echoes
 * it, refusals before the operation ran included, so a client can match any answer to its call.
 */
export function idempotencyKeyOf(c: {
  req: { header: (name: string) => string | undefined };
}): string | null {
  return c.req.header('x-idempotency-key') ?? c.req.header('idempotency-key') ?? null;
}

/** Bodies are JSON whatever the Content-Type says: `curl -d '{…}'` sends a form type. */
export async function readJsonBody(c: Context): Promise<Record<string, unknown>> {
  // The app's middleware has read the bytes already (see buildHttpApp); decoding them directly
  // skips the Response Hono would build to turn them into text.
  const read = (c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> }).arrayBuffer;
  const text = read ? utf8.decode(await read) : await c.req.text();
  if (text.trim() === '') return {};
  if (jsonTooDeep(text)) {
    throw new AppError(
      'invalid_json',
      `the request body nests deeper than ${MAX_JSON_DEPTH} levels`,
      'flatten the structure; custom fields and filters need only a level or two',
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'invalid_json',
      `the request body is not valid JSON (${(error as Error).message})`,
      `send a JSON object, e.g. -d '{"name":"Jane Doe","email":"jane@acme.com"}'`,
    );
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('invalid_json', 'the request body must be a JSON object', 'wrap the fields in {...}');
  }
  return body as Record<string, unknown>;
}

/**
 * Gathers an operation's input from the request: query parameters, then the JSON body, then the
 * path parameters (which win). On list routes unknown query parameters become `where` filters.
 */
export async function collectInput(c: Context, operation: AnyOperation): Promise<Record<string, unknown>> {
  const url = new URL(c.req.url);
  const query: Record<string, unknown> = {};
  const where: Record<string, string | string[]> = {};
  const known = new Set(allowedFields(operation.input));
  for (const key of new Set(url.searchParams.keys())) {
    if (TRANSPORT_PARAMS.has(key)) continue;
    const values = url.searchParams.getAll(key);
    if (operation.http.queryFilters && !known.has(key))
      where[key] = values.length === 1 ? values[0]! : values;
    else query[key] = values.length === 1 ? values[0] : values;
  }
  if (Object.keys(where).length > 0) query.where = where;
  const body = ['GET', 'DELETE'].includes(operation.http.method) ? {} : await readJsonBody(c);
  return { ...query, ...body, ...conditionalInput(c, known), ...c.req.param() };
}

/**
 * If-Match becomes the operation's `expected_version` (operations that check versions accept it
 * as an ETag); `*` asks for nothing beyond existence. An operation without versions refuses it
 * rather than ignoring a precondition the caller relies on.
 */
function conditionalInput(c: Context, known: Set<string>): Record<string, unknown> {
  const ifMatch = c.req.header('if-match')?.trim();
  if (!ifMatch || ifMatch === '*') return {};
  if (!known.has('expected_version')) {
    throw new AppError(
      'invalid_input',
      `If-Match is not supported on ${c.req.method} ${c.req.path}`,
      'send If-Match only with PATCH or DELETE of a record, using the ETag of your last read',
    );
  }
  return { expected_version: ifMatch };
}
