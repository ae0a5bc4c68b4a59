import { ENVELOPE_FIELDS } from '../answer/envelope.js';
import { inputJsonSchema, projectionProperties } from '../http/openapi.js';
import { requiresIdempotencyKey } from '../operations/call.js';
import { type AnyOperation, agentsMayCall, toolKind } from '../operations/define.js';
import { allReasonCodes } from '../policy/reason-codes.js';

/** Reason codes any operation may answer with, besides its own. */
const GENERIC_CODES = ['policy.allowed', 'invalid_input', 'invalid_json', 'rate_limited', 'internal'];
const AUTH_CODES = ['auth_required', 'invalid_token', 'token_expired', 'forbidden'];

/**
 * Tool input schemas carry the optional `reason` every mutation accepts, and `fields`/`expand`
 * where the operation answers with CRM records.
 */
function toolSchema(operation: AnyOperation): Record<string, unknown> {
  const schema = inputJsonSchema(operation);
  if (schema.type !== 'object' || (!operation.mutating && !operation.view)) return schema;
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  return {
    ...schema,
    properties: {
      ...properties,
      ...(operation.view ? projectionProperties(operation.view) : {}),
      ...(operation.mutating
        ? {
            reason: {
              type: 'string',
              maxLength: 1000,
              description: 'Why you make this change; kept in the audit log.',
            },
          }
        : {}),
    },
  };
}

/** Who may call it: anyone (no auth), people only (agents are refused), or agents and people. */
const callersOf = (operation: AnyOperation) =>
  operation.auth === 'none' ? 'anyone' : agentsMayCall(operation) ? 'agents_and_people' : 'people';

export function toolEntry(operation: AnyOperation) {
  const codes = new Set([
    ...GENERIC_CODES,
    ...(operation.auth === 'none' ? [] : AUTH_CODES),
    ...(operation.mutating
      ? ['idempotency_key_required', 'idempotency_key_in_use', 'idempotency_key_reused']
      : []),
    ...(operation.reasonCodes ?? []),
  ]);
  return {
    name: operation.name,
    description: operation.description ? `${operation.summary} ${operation.description}` : operation.summary,
    input_schema: toolSchema(operation),
    kind: toolKind(operation),
    mutating: operation.mutating,
    requires_idempotency_key: requiresIdempotencyKey(operation),
    requires_human_approval: operation.approval ?? 'never',
    scope: operation.scope,
    auth: operation.auth ?? 'bearer',
    callers: callersOf(operation),
    http: { method: operation.http.method, path: operation.http.path.replace(/:([a-z_]+)/g, '{$1}') },
    tool_call: { method: 'POST', path: `/tools/${operation.name}` },
    reason_codes: [...codes],
  };
}

/**
 * One tool of the compact catalog: what the guide says to register (the flags), a one-line
 * summary, and where its whole entry is.
 */
function compactEntry(operation: AnyOperation) {
  const entry = toolEntry(operation);
  return {
    name: entry.name,
    summary: operation.summary,
    kind: entry.kind,
    mutating: entry.mutating,
    requires_idempotency_key: entry.requires_idempotency_key,
    requires_human_approval: entry.requires_human_approval,
    callers: entry.callers,
    http: entry.http,
  };
}

/**
 * GET /agentcrm-tools.json: every operation of the registry as a typed tool. By default compact
 * (the flags and a summary, under 40 KB: docs/discovery.md); `tools` names the operations to give
 * whole (`?tool=contacts.create,contacts.update`), `full` gives every one whole.
 */
export function toolCatalogDocument(
  operations: readonly AnyOperation[],
  view: { full?: boolean; tools?: readonly AnyOperation[] } = {},
) {
  if (view.full) return toolCatalog(operations);
  if (view.tools) return { ...toolCatalog(view.tools), tools: view.tools.map(toolEntry) };
  return {
    ...catalogHead(),
    compact:
      'Each tool with its flags; GET /agentcrm-tools.json?tool=<name>[,<name>…] for whole entries (input ' +
      'schema, reason codes), ?full=true for every tool whole.',
    tools: operations.map(compactEntry),
  };
}

const catalogHead = () => ({
  version: 1,
  envelope: ENVELOPE_FIELDS,
  call: 'POST /tools/{name} with the input as the JSON body; mutating tools need X-Idempotency-Key',
  save_tokens:
    'Tools that answer with contacts, companies, deals, tasks or activities take "fields" (only these fields, ' +
    'e.g. "name,email,company.name") and "expand" (related records in the same answer, e.g. "company,open_deals"); ' +
    'their input schemas list the valid names. A page of 50 contacts is about a fifth of the bytes with fields=name,email.',
});

/** The whole catalog: every operation with its input schema and reason codes. */
export function toolCatalog(operations: readonly AnyOperation[]) {
  const known = new Set(allReasonCodes().map((entry) => entry.code));
  const tools = operations.map(toolEntry);
  for (const tool of tools) {
    for (const code of tool.reason_codes) {
      if (!known.has(code)) throw new Error(`${tool.name} declares undocumented reason code ${code}`);
    }
  }
  return { ...catalogHead(), tools };
}
