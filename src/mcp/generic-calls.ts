import { toolEntry } from '../discovery/catalog.js';
import { AppError } from '../errors.js';
import type { AnyOperation } from '../operations/define.js';
import { CALL_TOOL, FIND_TOOL, type RecordType } from './core-tools.js';
import { toolName, typedTool } from './tools.js';

/**
 * The generic tools of the default list at call time (core-tools.ts defines them): a record tool or
 * call_operation resolves to the one registry operation it runs, which then goes through
 * callTypedTool like any typed tool; find_operation answers from the catalog.
 */

/** A call to a generic tool, as the operation it runs and that operation's typed-tool arguments. */
export interface ResolvedCall {
  operation: AnyOperation;
  args: Record<string, unknown>;
}

const invalid = (message: string, hint: string) => new AppError('invalid_input', message, hint);

function objectArg(args: Record<string, unknown>, key: string, hint: string): Record<string, unknown> {
  const value = args[key];
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${key}: an object`, hint);
  return value as Record<string, unknown>;
}

/**
 * Resolves a record tool or call_operation into the operation it runs; `undefined` for any other
 * name. Throws the invalid_input the caller should see for a bad type, id or operation name.
 */
export function resolveGenericCall(
  name: string,
  args: Record<string, unknown>,
  types: readonly RecordType[],
  byName: (name: string) => AnyOperation | undefined,
): ResolvedCall | undefined {
  if (name === CALL_TOOL) {
    const target = typeof args.name === 'string' ? byName(args.name) : undefined;
    if (!target)
      throw invalid(
        `name: no operation named ${JSON.stringify(args.name ?? null)}`,
        `send an operation name such as contacts.merge; ${FIND_TOOL} {"query":"…"} lists them`,
      );
    return {
      operation: target,
      args: objectArg(args, 'arguments', 'send "arguments": {…} with the operation input'),
    };
  }
  if (!name.startsWith('records_')) return undefined;
  const verb = name.slice('records_'.length);
  if (!['search', 'get', 'create', 'update'].includes(verb)) return undefined;
  const { type: typeName, id, values, ...rest } = args;
  const type = types.find((t) => t.type === typeName);
  if (!type)
    throw invalid(
      `type: one of ${types.map((t) => t.type).join(', ')}`,
      `send "type": "${types[0]?.type}" (the record type)`,
    );
  const fields = objectArg({ values }, 'values', `send "values": {…} with the ${type.type}'s fields`);
  if ((verb === 'get' || verb === 'update') && (typeof id !== 'string' || !id))
    throw invalid('id: the record id', `send "id" as records_search or records_create answered it`);
  switch (verb) {
    case 'search':
      return { operation: type.search, args: rest };
    case 'get':
      return { operation: type.get, args: { ...rest, [type.idField]: id } };
    case 'create':
      return { operation: type.create, args: { ...fields, ...rest } };
    default:
      return { operation: type.update, args: { ...fields, ...rest, [type.idField]: id } };
  }
}

/** find_operation's answer: matching operations in brief, or one operation's whole typed tool. */
export function findOperations(
  operations: readonly AnyOperation[],
  args: Record<string, unknown>,
): Record<string, unknown> {
  if (typeof args.name === 'string') {
    const operation = operations.find((op) => op.name === args.name || toolName(op) === args.name);
    if (!operation)
      throw invalid(
        `name: no operation named ${JSON.stringify(args.name)}`,
        'send {"query":"…"} to list operations by words',
      );
    const tool = typedTool(operation);
    return { operation: operation.name, call_with: CALL_TOOL, ...tool, name: operation.name };
  }
  const words = String(args.query ?? '')
    .toLowerCase()
    .split(/[^a-z0-9_]+/)
    .filter(Boolean);
  const scored = operations
    .map((operation) => {
      const entry = toolEntry(operation);
      const haystack = `${operation.name} ${entry.description}`.toLowerCase();
      const score = words.reduce(
        (sum, word) => sum + (operation.name.includes(word) ? 3 : 0) + (haystack.includes(word) ? 1 : 0),
        0,
      );
      return { operation, entry, score };
    })
    .filter((row) => words.length === 0 || row.score > 0)
    .sort((a, b) => b.score - a.score || a.operation.name.localeCompare(b.operation.name))
    .slice(0, words.length ? 10 : operations.length);
  return {
    operations: scored.map(({ operation, entry }) => ({
      name: operation.name,
      summary: entry.description.split(/(?<=\.)\s/)[0],
      kind: entry.kind,
      requires_human_approval: entry.requires_human_approval,
    })),
    hint: `send {"name":"<operation>"} for its input schema, then call it with ${CALL_TOOL}`,
  };
}
