import { z } from 'zod';
import { AppError } from '../errors.js';
import type { ObjectFieldsTable, ObjectTypesTable } from '../store/schema.js';

/**
 * Object types and their typed fields, as a workspace defines them at run time. A custom type
 * (`projects`) has fields of its own; a built-in kind (contacts, companies, deals) gets typed
 * fields under `custom.<key>`. This module is the definitions' vocabulary: the field types, what a
 * valid definition is, and how one reads back.
 */

export const FIELD_TYPES = [
  'text',
  'long_text',
  'number',
  'money',
  'date',
  'datetime',
  'boolean',
  'select',
  'multi_select',
  'email',
  'url',
  'phone',
  'relation',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** The built-in kinds that take typed `custom.<key>` fields, and what a relation may point at. */
export const BUILTIN_OBJECTS = ['contacts', 'companies', 'deals'] as const;
export type BuiltinObject = (typeof BUILTIN_OBJECTS)[number];
/** Built-in kinds that take no typed fields (yet). */
export const FIELDLESS_BUILTINS: readonly string[] = ['tasks', 'activities'];
export const isBuiltinObject = (name: string): name is BuiltinObject =>
  (BUILTIN_OBJECTS as readonly string[]).includes(name);

/** Field types a value of which can be unique (one record per value). */
const UNIQUE_TYPES: readonly FieldType[] = ['text', 'number', 'email', 'url', 'phone'];

/**
 * Names a type may not take: the built-in kinds, every top-level route of the API (`objects`,
 * `proposals`…) and words the records core uses. Built from the registry's paths where the app is
 * assembled (reservedTypeNames), so a route added later is reserved without anyone remembering.
 */
const ALWAYS_RESERVED_TYPES = ['contacts', 'companies', 'deals', 'tasks', 'activities', 'records', 'objects'];

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

const apiName = (what: string, max: number) =>
  z
    .string()
    .regex(
      new RegExp(`^[a-z][a-z0-9_]{0,${max - 1}}$`),
      `${what}: lower-case letters, digits and _, starting with a letter, at most ${max} characters`,
    );

export const typeApiName = apiName('api_name', 40).min(2);
export const fieldApiName = apiName('api_name', 40);

const label = z.string().trim().min(1).max(80);
const option = z.string().trim().min(1).max(100);

export const fieldDefinition = z.strictObject({
  api_name: fieldApiName,
  label: label.optional().describe('Shown to people; defaults to the API name.'),
  type: z.enum(FIELD_TYPES),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  indexed: z.boolean().optional().describe('Index it for equality and range filters and sorting.'),
  default: z.unknown().optional().describe('A value of the field type, used when a record leaves it out.'),
  options: z.array(option).min(1).max(200).optional().describe('The choices of a select or multi_select.'),
  relation: z
    .strictObject({
      to: typeApiName.describe('contacts, companies, deals or a custom type of this workspace'),
      many: z.boolean().optional(),
    })
    .optional()
    .describe('For a relation: the type it points at, and whether it holds several records.'),
});
export type FieldDefinition = z.output<typeof fieldDefinition>;

/** What a field update may change: labels, requiredness, the default, choices (added or kept), the index. */
export const fieldChanges = <Path extends z.ZodRawShape>(path: Path) =>
  z
    .strictObject({
      ...path,
      label: label.optional(),
      required: z.boolean().optional(),
      indexed: z.boolean().optional(),
      default: z.unknown().optional(),
      options: z.array(option).min(1).max(200).optional(),
    })
    .refine(
      (changes) => ['label', 'required', 'indexed', 'default', 'options'].some((key) => key in changes),
      'send at least one of label, required, indexed, default, options',
    );

const MONEY = z.strictObject({
  amount_cents: z.number().int().safe(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
});

/** The rule a value of a field must meet (for defaults now, and record values). */
export function valueSchema(field: {
  type: FieldType;
  options?: readonly string[] | null;
  relationMany?: boolean;
}): z.ZodType {
  switch (field.type) {
    case 'text':
      return z.string().max(1000);
    case 'long_text':
      return z.string().max(100_000);
    case 'number':
      return z.number().finite();
    case 'money':
      return MONEY;
    case 'date':
      return z.iso.date();
    case 'datetime':
      return z.iso.datetime({ offset: true });
    case 'boolean':
      return z.boolean();
    case 'select':
      return z.enum((field.options ?? []) as [string, ...string[]]);
    case 'multi_select':
      return z.array(z.enum((field.options ?? []) as [string, ...string[]])).max(200);
    case 'email':
      return z.email().max(320);
    case 'url':
      return z.url({ protocol: /^https?$/ }).max(2000);
    case 'phone':
      return z.string().regex(/^\+?[0-9 ().-]{3,40}$/, 'a phone number such as +1 555 0100');
    case 'relation':
      return field.relationMany ? z.array(z.string().min(1)).max(1000) : z.string().min(1);
  }
}

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

/** Names a custom type may not take: the always-reserved words and every top-level route. */
export function reservedTypeNames(paths: readonly string[]): string[] {
  const routes = paths.map((path) => path.split('/')[1] ?? '').filter((segment) => /^[a-z_]+$/.test(segment));
  return [...new Set([...ALWAYS_RESERVED_TYPES, ...routes])].sort();
}

export interface FieldRecord {
  handle: string;
  object: string;
  api_name: string;
  /** Where the value lives on a record: the name itself, or custom.<key> on a built-in kind. */
  path: string;
  label: string;
  type: FieldType;
  required: boolean;
  unique: boolean;
  indexed: boolean;
  default: unknown;
  options: string[] | null;
  relation: { to: string; many: boolean } | null;
  status: 'active' | 'archived';
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

export function toFieldRecord(row: ObjectFieldsTable): FieldRecord {
  const path = isBuiltinObject(row.object) ? `custom.${row.api_name}` : row.api_name;
  return {
    handle: `field/${row.object}.${row.api_name}`,
    object: row.object,
    api_name: row.api_name,
    path,
    label: row.label,
    type: row.type as FieldType,
    required: row.required === 1,
    unique: row.is_unique === 1,
    indexed: row.indexed === 1,
    default: row.default_value === null ? null : (JSON.parse(row.default_value) as unknown),
    options: row.options === null ? null : (JSON.parse(row.options) as string[]),
    relation: row.relation_to ? { to: row.relation_to, many: row.relation_many === 1 } : null,
    status: row.status,
    version: row.version,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
    archived_at: row.archived_at,
  };
}

export interface ObjectRecord {
  handle: string;
  api_name: string;
  kind: 'builtin' | 'custom';
  label_singular: string;
  label_plural: string;
  description: string | null;
  status: 'active' | 'archived';
  version: number | null;
  /** Built-in kinds: their own columns; then every typed field (built-in kinds: custom.<key>). */
  builtin_fields: string[];
  fields: FieldRecord[];
  created_at: string | null;
  updated_at: string | null;
  archived_at: string | null;
}

export function toObjectRecord(row: ObjectTypesTable, fields: ObjectFieldsTable[]): ObjectRecord {
  return {
    handle: `object/${row.api_name}`,
    api_name: row.api_name,
    kind: 'custom',
    label_singular: row.label_singular,
    label_plural: row.label_plural,
    description: row.description,
    status: row.status,
    version: row.version,
    builtin_fields: ['id', 'created_at', 'updated_at', 'version'],
    fields: fields.map(toFieldRecord),
    created_at: row.created_at,
    updated_at: row.updated_at,
    archived_at: row.archived_at,
  };
}

/** A field definition in a few words, as the approval inbox shows it: `select (planned, active), default planned`. */
export function describeField(field: FieldDefinition): string {
  const parts: string[] = [field.type];
  if (field.options) parts[0] = `${field.type} (${field.options.join(', ')})`;
  if (field.relation) parts[0] = `relation → ${field.relation.to}${field.relation.many ? ' (many)' : ''}`;
  if (field.required) parts.push('required');
  if (field.unique) parts.push('unique');
  if (field.indexed) parts.push('indexed');
  if (field.default !== undefined && field.default !== null)
    parts.push(`default ${JSON.stringify(field.default)}`);
  return parts.join(', ');
}
