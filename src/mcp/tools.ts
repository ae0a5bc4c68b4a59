import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { ENVELOPE_FIELDS } from '../answer/envelope.js';
import { toolEntry } from '../discovery/catalog.js';
import { requiresIdempotencyKey } from '../operations/call.js';
import { type AnyOperation, OUTCOMES } from '../operations/define.js';
import { kindNamed } from '../records/kinds.js';

/** `contacts.search` → `contacts_search`: MCP clients are picky about dots in tool names. */
export const toolName = (operation: AnyOperation) => operation.name.replace(/\./g, '_');

export const REQUEST_TOOL = 'request';

export const idempotencyKeyProperty = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  description:
    'A key you make up for this change (e.g. idem_<random>). Repeat the same call with the same key to ' +
    'retry safely: the first answer is replayed instead of applying the change twice.',
};

export const dryRunProperty = {
  type: 'boolean',
  description:
    'true: answer with the policy decision and the exact change, and change nothing (as ?dry_run=true).',
};

/** The generic tool of the crmkit manual: any route of the HTTP API, answered in its plain text. */
export function requestTool(publicUrl: string): Tool {
  return {
    name: REQUEST_TOOL,
    description:
      'Call the agentcrm HTTP API with your token and get back exactly the plain text it answers. ' +
      `Every route of the manual (${publicUrl}/help, also the resource "manual") works: e.g. GET /whoami, ` +
      'GET /contacts?search=acme, POST /contacts with body {"name":"Jane Doe","email":"jane@acme.com"}. ' +
      'Records are lines starting with their handle; errors are "error <code>: …" and "hint: …".',
    inputSchema: {
      type: 'object',
      properties: {
        method: { type: 'string', enum: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] },
        path: {
          type: 'string',
          minLength: 1,
          maxLength: 4000,
          description: 'Path and query string, starting with /, e.g. /contacts?stage=lead&limit=20',
        },
        body: {
          type: 'object',
          additionalProperties: true,
          description: 'The JSON body for POST, PATCH and PUT; omit it for GET and DELETE.',
        },
      },
      required: ['method', 'path'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  };
}

/**
 * Nullable as anyOf, never a `type` list: clients that map tool schemas onto a one-type dialect
 * (Gemini's OpenAPI subset) reject or loosen `"type": ["string", "null"]` (the Inspector's
 * --strict portability check flags it).
 */
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

/**
 * A tool result's structuredContent: the JSON envelope, success or failure (failures carry `error`
 * and data null). `data` is typed when it is one kind's records and the answer is a read: the
 * record, or a page of them; a write's data is the record as written, or what a proposal or refusal
 * says, so it stays an object. Kept short: every listed tool carries one (docs/mcp.md).
 */
export function envelopeOutputSchema(operation?: AnyOperation): Record<string, unknown> {
  const kind = operation?.view?.kind;
  const schema = kind && operation && !operation.mutating ? kindNamed(kind)?.schema : undefined;
  // The record's own definitions ($defs) move to the root, where its #/$defs/… references point.
  const { $defs, ...record } = schema ?? {};
  const data = schema
    ? nullable(operation?.http.queryFilters ? { type: 'array', items: record } : record)
    : { anyOf: [{ type: 'object' }, { type: 'array' }, { type: 'null' }] };
  return {
    ...($defs ? { $defs } : {}),
    type: 'object',
    required: [...ENVELOPE_FIELDS],
    properties: {
      outcome: { type: 'string', enum: [...OUTCOMES] },
      data,
      policy: { type: 'object' },
      explanation: { type: 'object' },
      next_actions: { type: 'array' },
      warnings: { type: 'array' },
      request_id: { type: 'string' },
      idempotency_key: nullable({ type: 'string' }),
      operation_id: nullable({ type: 'string' }),
      next_cursor: nullable({ type: 'string' }),
      error: { type: 'object', required: ['code', 'message', 'hint'] },
    },
  };
}

/**
 * One typed tool per operation: description and input schema from the catalog (the same as
 * /agentcrm-tools.json), plus `idempotency_key` and `dry_run` on writes; annotations from the flags. A write
 * is "destructive" when it changes or removes what exists (PATCH, PUT, DELETE routes), and
 * "idempotent" when repeating the same arguments cannot apply it twice: reads, and writes whose
 * required idempotency key makes a repeat a replay.
 */
export function typedTool(operation: AnyOperation): Tool {
  const entry = toolEntry(operation);
  const { $schema: _dialect, ...schema } = entry.input_schema as Record<string, unknown>;
  if (schema.type !== 'object') throw new Error(`${operation.name}: a tool input must be an object schema`);
  const properties = { ...((schema.properties ?? {}) as Record<string, object>) };
  const required = [...((schema.required ?? []) as string[])];
  if (operation.mutating) {
    properties.idempotency_key = idempotencyKeyProperty;
    properties.dry_run = dryRunProperty;
    if (requiresIdempotencyKey(operation)) required.push('idempotency_key');
  }
  return {
    name: toolName(operation),
    title: operation.name,
    description: entry.description,
    inputSchema: { ...schema, type: 'object', properties, ...(required.length ? { required } : {}) },
    outputSchema: envelopeOutputSchema(operation) as Tool['outputSchema'],
    annotations: {
      readOnlyHint: !operation.mutating,
      destructiveHint: operation.mutating && operation.http.method !== 'POST',
      idempotentHint: !operation.mutating || requiresIdempotencyKey(operation),
      openWorldHint: false,
    },
    // The guide's flags, which MCP's annotations cannot say: read / write / propose, and approval.
    _meta: {
      'agentcrm/kind': entry.kind,
      'agentcrm/requires_human_approval': entry.requires_human_approval,
      'agentcrm/callers': entry.callers,
    },
  };
}
