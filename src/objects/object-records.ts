import type { ObjectFieldsTable, ObjectTypesTable } from '../store/schema.js';
import { type FieldDefinition, type FieldType, isBuiltinObject } from './object.js';

/** Object types and fields as answers show them, and a field in a few words for the approval inbox. */

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
