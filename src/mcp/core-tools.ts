import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from '../config.js';
import type { AnyOperation } from '../operations/define.js';
import { kindNamed } from '../records/kinds.js';
import {
  dryRunProperty,
  envelopeOutputSchema,
  idempotencyKeyProperty,
  requestTool,
  typedTool,
} from './tools.js';

/**
 * The default tool list (MCP_TOOLS=core, docs/mcp.md): a few generic record tools, the typed tools
 * agents use most that those do not cover, the generic `request` tool, and a way to find and call
 * every other operation. Every call still runs one registry operation through the one executor:
 * the generic tools only say which operation, with which input.
 */

/** Typed tools listed by default beside the record tools (measured: the whole list stays under 40 KB). */
const CORE_OPERATIONS = [
  'activities.create',
  'tasks.complete',
  'reminders.list',
  'contacts.propose_update',
  'proposals.get_status',
  'operations.get_status',
  'policy.explain_capabilities',
  'account.whoami',
] as const;

export const FIND_TOOL = 'find_operation';
export const CALL_TOOL = 'call_operation';

/** A kind every record tool works on: its search, get, create and update operations. */
export interface RecordType {
  type: string;
  search: AnyOperation;
  get: AnyOperation;
  create: AnyOperation;
  update: AnyOperation;
  /** The get and update operations' id parameter: `contact_id`. */
  idField: string;
}

/** The kinds with all four operations, found in the registry by the kind they answer with. */
export function recordTypes(operations: readonly AnyOperation[]): RecordType[] {
  const byKind = new Map<string, AnyOperation[]>();
  for (const operation of operations) {
    const kind = operation.view?.kind;
    if (kind && kindNamed(kind)?.schema) byKind.set(kind, [...(byKind.get(kind) ?? []), operation]);
  }
  const types: RecordType[] = [];
  for (const [type, ops] of byKind) {
    const verb = (v: string) => ops.find((op) => op.name.endsWith(`.${v}`));
    const search = ops.find((op) => op.http.queryFilters && op.http.method === 'GET');
    const [get, create, update] = [verb('get'), verb('create'), verb('update')];
    const idField = get && /:([a-z_]+)$/.exec(get.http.path)?.[1];
    if (search && get && create && update && idField)
      types.push({ type, search, get, create, update, idField });
  }
  return types;
}

const FIELDS = {
  fields: {
    anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'Only these fields, comma-separated (e.g. "name,email"), to save tokens.',
  },
  expand: {
    anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'Related records to include, comma-separated (e.g. "company,open_deals").',
  },
};
const WRITE = { reason: { type: 'string', description: 'Why, in a sentence (kept in the audit log).' } };
const readHints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const writeHints = (destructive: boolean) => ({
  readOnlyHint: false,
  destructiveHint: destructive,
  idempotentHint: true,
  openWorldHint: false,
});

function recordTools(types: RecordType[]): Tool[] {
  const type = {
    type: 'string',
    enum: types.map((t) => t.type),
    description: 'The record type.',
  };
  const names = (pick: (t: RecordType) => AnyOperation) => types.map((t) => pick(t).name).join(', ');
  const values = (verb: string, pick: (t: RecordType) => AnyOperation) => ({
    type: 'object',
    additionalProperties: true,
    description: `The fields to ${verb}, as ${names(pick)} take them (custom fields under "custom"). ${FIND_TOOL} {"name":"${pick(types[0]!).name}"} shows one type's fields.`,
  });
  const tools: Tool[] = [
    {
      name: 'records_search',
      title: 'Search records',
      description:
        'List or find records of one type, newest first: search= looks in names, emails and titles; ' +
        'where= filters by field ({"stage":"lead","amount_cents":"gte:100000"}; operators eq ne gt gte lt ' +
        'lte like in is not). Pass next_cursor back as cursor for the next page.',
      inputSchema: {
        type: 'object',
        properties: {
          type,
          search: { type: 'string', maxLength: 200 },
          where: { type: 'object', additionalProperties: true },
          sort: { type: 'string', description: 'A field, "-" first for descending: "-updated_at".' },
          limit: { type: 'integer', minimum: 1, maximum: 200 },
          cursor: { type: 'string' },
          ...FIELDS,
        },
        required: ['type'],
        additionalProperties: false,
      },
      annotations: readHints,
    },
    {
      name: 'records_get',
      title: 'Get a record',
      description: 'One record by id, with its version (send it as expected_version when you update).',
      inputSchema: {
        type: 'object',
        properties: { type, id: { type: 'string', minLength: 1 }, ...FIELDS },
        required: ['type', 'id'],
        additionalProperties: false,
      },
      annotations: readHints,
    },
    {
      name: 'records_create',
      title: 'Create a record',
      description:
        'Create a record. Policy may answer "proposed" (a person approves first) or "denied"; the ' +
        'answer says which, and why.',
      inputSchema: {
        type: 'object',
        properties: {
          type,
          values: values('set', (t) => t.create),
          ...WRITE,
          idempotency_key: idempotencyKeyProperty,
          dry_run: dryRunProperty,
        },
        required: ['type', 'values', 'idempotency_key'],
        additionalProperties: false,
      },
      annotations: writeHints(false),
    },
    {
      name: 'records_update',
      title: 'Update a record',
      description:
        'Change some fields of a record; the others stay. Send expected_version (from records_get) so a ' +
        'change made meanwhile is not overwritten. Sensitive fields may need contacts_propose_update.',
      inputSchema: {
        type: 'object',
        properties: {
          type,
          id: { type: 'string', minLength: 1 },
          values: values('change', (t) => t.update),
          expected_version: { type: 'integer', minimum: 1 },
          ...WRITE,
          idempotency_key: idempotencyKeyProperty,
          dry_run: dryRunProperty,
        },
        required: ['type', 'id', 'values', 'idempotency_key'],
        additionalProperties: false,
      },
      annotations: writeHints(true),
    },
  ];
  const outputSchema = envelopeOutputSchema() as Tool['outputSchema'];
  return tools.map((tool) => ({ ...tool, outputSchema }));
}

function discoveryTools(): Tool[] {
  return [
    {
      name: FIND_TOOL,
      title: 'Find an operation',
      description:
        'Every operation of agentcrm, beyond the tools listed here (webhooks, members, bulk updates, ' +
        'imports, history, merge, billing, …). query= lists the ones matching words; name= gives one ' +
        `operation's full input schema and flags, to call with ${CALL_TOOL}.`,
      inputSchema: {
        type: 'object',
        properties: {
          query: {
            type: 'string',
            maxLength: 200,
            description: 'Words, e.g. "webhook" or "merge contacts".',
          },
          name: { type: 'string', maxLength: 100, description: 'An operation name, e.g. contacts.merge.' },
        },
        additionalProperties: false,
      },
      annotations: readHints,
    },
    {
      name: CALL_TOOL,
      title: 'Call an operation',
      description: `Call any operation by name with its input (${FIND_TOOL} shows it); answered as its typed tool would be.`,
      inputSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', maxLength: 100, description: 'e.g. contacts.merge' },
          arguments: {
            type: 'object',
            additionalProperties: true,
            description: 'The input, with idempotency_key on changes.',
          },
        },
        required: ['name'],
        additionalProperties: false,
      },
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
  ];
}

/** The default list after the request tool: record tools, the core typed tools, find and call. */
export function coreTools(operations: readonly AnyOperation[]): Tool[] {
  const core = CORE_OPERATIONS.map((name) => {
    const operation = operations.find((op) => op.name === name);
    if (!operation) throw new Error(`MCP core tool ${name} is not in the registry`);
    return typedTool(operation);
  });
  return [...recordTools(recordTypes(operations)), ...core, ...discoveryTools()];
}

/**
 * The tools /mcp lists, computed once per app. MCP_TOOLS: `core` (the default: request, the record
 * tools, the most used typed tools, find_operation and call_operation; under 40 KB), `both`
 * (request and every typed tool), `typed` (every typed tool) or `request` (only the generic tool).
 */
export function listedTools(config: Config, operations: readonly AnyOperation[]): Tool[] {
  const tools: Tool[] = [];
  if (config.mcpTools !== 'typed') tools.push(requestTool(config.publicUrl));
  if (config.mcpTools === 'core') tools.push(...coreTools(operations));
  else if (config.mcpTools !== 'request') tools.push(...operations.map(typedTool));
  return tools;
}
