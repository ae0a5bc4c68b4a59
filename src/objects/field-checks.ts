import { AppError } from '../errors.js';
import { type FieldDefinition, type FieldType, isBuiltinObject, valueSchema } from './object.js';

/**
 * The rules a field definition meets beyond its shape (a free name, options that fit the type, a
 * default of the type, a relation to a type that exists), each refusal a 400 with a hint.
 */

/** Field types a value of which can be unique (one record per value). */
const UNIQUE_TYPES: readonly FieldType[] = ['text', 'number', 'email', 'url', 'phone'];

/** Field names every record of a custom type already has, or that the query language uses. */
export const RESERVED_FIELDS = [
  'id',
  'handle',
  'type',
  'version',
  'created_at',
  'updated_at',
  'deleted_at',
  'workspace_id',
  'created_by',
  'updated_by',
  'deleted_refs',
  'custom',
  'fields',
  'expand',
  'search',
  'sort',
  'limit',
  'cursor',
  'dry_run',
];

/** 400 with the allowed list and a hint, for every way a definition can be wrong. */
export const definitionError = (message: string, hint: string, allowed?: readonly string[]) =>
  new AppError('invalid_input', message, hint, allowed ? { details: { allowed } } : {});

/**
 * Checks a field definition beyond its shape: the name is free, the options fit the type, the
 * default is a value of the type, unique fits the type, a relation names a type that exists.
 */
export function checkField(
  definition: FieldDefinition,
  context: { object: string; taken: readonly string[]; relationTargets: readonly string[] },
): void {
  const { api_name: name, type } = definition;
  const builtin = isBuiltinObject(context.object);
  if (!builtin && RESERVED_FIELDS.includes(name)) {
    throw definitionError(
      `${name} is reserved: every record already has it, or the query language uses it`,
      'pick another api_name, e.g. project_status instead of status-like words the core uses',
      RESERVED_FIELDS,
    );
  }
  if (context.taken.includes(name)) {
    throw definitionError(
      `${context.object} already has a field ${name} (archived fields keep their name until they are gone)`,
      `pick another api_name, or restore the archived one (POST /objects/${context.object}/fields/${name}/restore)`,
    );
  }
  const choices = type === 'select' || type === 'multi_select';
  if (choices && !definition.options) {
    throw definitionError(
      `options: a ${type} field needs its choices`,
      'send "options": ["planned", "active", "done"]',
    );
  }
  if (!choices && definition.options) {
    throw definitionError(`options: only select and multi_select fields have choices`, 'leave options out');
  }
  if (definition.options && new Set(definition.options).size !== definition.options.length) {
    throw definitionError('options: each choice once', 'remove the repeated choices');
  }
  if (type === 'relation') {
    if (builtin) {
      throw definitionError(
        'a built-in kind takes no relation fields yet: its records relate through their own columns',
        'declare the relation on the custom type instead (e.g. projects.company → companies)',
      );
    }
    if (!definition.relation) {
      throw definitionError(
        'relation: a relation field names the type it points at',
        'send "relation": {"to": "companies"}',
      );
    }
    if (!context.relationTargets.includes(definition.relation.to)) {
      throw definitionError(
        `relation.to: no type ${definition.relation.to} in this workspace`,
        'point at contacts, companies, deals or one of your custom types (GET /objects)',
        context.relationTargets,
      );
    }
  } else if (definition.relation) {
    throw definitionError('relation: only relation fields point at a type', 'leave relation out');
  }
  if (definition.unique && !UNIQUE_TYPES.includes(type)) {
    throw definitionError(
      `unique: a ${type} field cannot be unique`,
      `unique fits ${UNIQUE_TYPES.join(', ')}`,
      UNIQUE_TYPES,
    );
  }
  if (definition.unique && builtin) {
    throw definitionError(
      'unique: typed custom fields of a built-in kind cannot be unique',
      'upsert contacts by email as today; make the field unique on a custom type',
    );
  }
  if (definition.default !== undefined) checkDefault(definition, definition.default);
}

export function checkDefault(
  field: {
    api_name: string;
    type: FieldType;
    options?: readonly string[] | null;
    relation?: { many?: boolean };
  },
  value: unknown,
): void {
  if (value === null) return;
  if (field.type === 'relation') {
    throw definitionError('default: a relation field has no default', 'leave default out');
  }
  const parsed = valueSchema({ type: field.type, options: field.options ?? null }).safeParse(value);
  if (!parsed.success) {
    throw definitionError(
      `default: not a ${field.type} value (${parsed.error.issues[0]?.message ?? 'invalid'})`,
      defaultHint(field.type),
      field.options ?? undefined,
    );
  }
}

function defaultHint(type: FieldType): string {
  const examples: Record<FieldType, string> = {
    text: '"default": "none"',
    long_text: '"default": "…"',
    number: '"default": 0',
    money: '"default": {"amount_cents": 0, "currency": "USD"}',
    date: '"default": "2026-01-31"',
    datetime: '"default": "2026-01-31T09:00:00Z"',
    boolean: '"default": false',
    select: '"default": one of the options',
    multi_select: '"default": ["a choice"]',
    email: '"default": "team@example.com"',
    url: '"default": "https://example.com"',
    phone: '"default": "+1 555 0100"',
    relation: 'no default',
  };
  return `send a value of the type, e.g. ${examples[type]}`;
}
