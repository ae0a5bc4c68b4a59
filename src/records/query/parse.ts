import { AppError } from '../../errors.js';

/** The kinds of value a filterable field holds; each allows its own operators. */
export type FieldType = 'text' | 'number' | 'time' | 'id' | 'tags';

export interface FieldSpec {
  type: FieldType;
  nullable: boolean;
  sortable?: boolean;
}

/**
 * A record another one points at, filterable in one hop (`company.domain=acme.com` on contacts):
 * rows of `table` whose `references` column equals this resource's `column`. The related table
 * is a soft-deletable record table with workspace_id; only its live rows count.
 */
export interface RelationSpec {
  table: string;
  /** This resource's column holding the related id, e.g. company_id. */
  column: string;
  /** The related table's column it holds, e.g. id. */
  references: string;
  fields: Record<string, FieldSpec>;
  /** Accepts `<relation>.custom.<key>`. */
  custom: boolean;
}

/** What a list endpoint lets callers filter and sort on. */
export interface ResourceSpec {
  /** `contact`, used in messages. */
  kind: string;
  fields: Record<string, FieldSpec>;
  /** Accepts `custom.<key>` filters. */
  custom: boolean;
  defaultSort: string;
  /** One-hop filters, by the name used in queries (`company`). */
  relations?: Record<string, RelationSpec>;
}

export const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'like', 'in', 'is', 'not'] as const;
export type Operator = (typeof OPERATORS)[number];

const OPS_BY_TYPE: Record<FieldType, readonly Operator[]> = {
  text: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'like', 'in', 'is', 'not'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'is', 'not'],
  time: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'is', 'not'],
  id: ['eq', 'ne', 'in', 'is', 'not'],
  tags: ['eq', 'ne', 'in', 'is', 'not'],
};

/** Where a filtered value lives. */
export interface FieldRef {
  /** As written in the query (`company.domain`, `custom.tier`), for messages. */
  name: string;
  spec: FieldSpec;
  /** The column: the field's own, or `custom` for custom keys. */
  column: string;
  customKey?: string;
  /** Set for one-hop filters: the column is on the related table. */
  relation?: RelationSpec;
}

export type Condition =
  | { field: FieldRef; op: 'null' | 'notnull' }
  | { field: FieldRef; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'; value: string | number }
  | { field: FieldRef; op: 'like'; value: string }
  | { field: FieldRef; op: 'in' | 'notin'; values: (string | number)[] };

export interface Sort {
  field: string;
  spec: FieldSpec;
  direction: 'asc' | 'desc';
  /** Set when sorting by a typed custom.<key> (declared with POST /objects/{kind}/fields). */
  customKey?: string;
}

/** The typed custom keys a list may sort by, and how their values compare. */
export type CustomSorts = Record<string, 'number' | 'text'>;

const CUSTOM_KEY = /^custom\.([A-Za-z0-9_-]{1,64})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2}))?$/;
/** A prefix that looks like an operator: `foo:` in `stage=foo:bar` is a typo, not part of a value. */
const OPERATOR_LIKE = /^[a-z]{1,10}$/;
const MAX_IN_VALUES = 100;
const CUSTOM_FIELD: FieldSpec = { type: 'text', nullable: true };

function bad(message: string, hint: string, allowed?: readonly string[]): AppError {
  return new AppError('invalid_query', message, hint, allowed ? { details: { allowed } } : {});
}

/** Every filter name a resource accepts, as shown in errors and help. */
export function filterableFields(spec: ResourceSpec): string[] {
  const own = [...Object.keys(spec.fields), ...(spec.custom ? ['custom.<key>'] : [])];
  const related = Object.entries(spec.relations ?? {}).flatMap(([name, relation]) => [
    ...Object.keys(relation.fields).map((field) => `${name}.${field}`),
    ...(relation.custom ? [`${name}.custom.<key>`] : []),
  ]);
  return [...own, ...related];
}

function ownField(
  fields: Record<string, FieldSpec>,
  custom: boolean,
  name: string,
  written: string,
): FieldRef | undefined {
  const customKey = CUSTOM_KEY.exec(name)?.[1];
  if (customKey)
    return custom ? { name: written, spec: CUSTOM_FIELD, column: 'custom', customKey } : undefined;
  return Object.hasOwn(fields, name) ? { name: written, spec: fields[name]!, column: name } : undefined;
}

function resolveField(spec: ResourceSpec, name: string): FieldRef | undefined {
  const own = ownField(spec.fields, spec.custom, name, name);
  if (own) return own;
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const relationName = name.slice(0, dot);
  const relation =
    spec.relations && Object.hasOwn(spec.relations, relationName) ? spec.relations[relationName] : undefined;
  if (!relation) return undefined;
  const field = ownField(relation.fields, relation.custom, name.slice(dot + 1), name);
  return field ? { ...field, relation } : undefined;
}

/** Parses `field=[op:]value` filters (values may repeat; repeated ones are AND-ed). */
export function parseFilters(spec: ResourceSpec, where: Record<string, string | string[]>): Condition[] {
  const conditions: Condition[] = [];
  for (const [name, raw] of Object.entries(where)) {
    const field = resolveField(spec, name);
    if (!field) {
      const allowed = filterableFields(spec);
      throw bad(
        `unknown filter field "${name}" for ${spec.kind}s`,
        `filter on one of: ${allowed.join(', ')}; or use search=, sort=, limit=, cursor=`,
        allowed,
      );
    }
    for (const value of Array.isArray(raw) ? raw : [raw]) conditions.push(parseOne(field, value));
  }
  return conditions;
}

function parseOne(field: FieldRef, raw: string): Condition {
  const name = field.name;
  if (raw.includes('\u0000')) throw bad(`the value for ${name} contains a NUL character`, 'remove it');
  const allowedOps = OPS_BY_TYPE[field.spec.type];
  const colon = raw.indexOf(':');
  const prefix = colon > 0 ? raw.slice(0, colon) : '';
  const explicit = (OPERATORS as readonly string[]).includes(prefix);
  if (!explicit && OPERATOR_LIKE.test(prefix)) {
    throw bad(
      `unknown operator "${prefix}:" in ${name}=${raw.slice(0, 60)}`,
      `operators for ${name}: ${allowedOps.join(' ')}; to match a value that contains ":", write ${name}=eq:${raw.slice(0, 60)}`,
      allowedOps,
    );
  }
  const op = (explicit ? prefix : 'eq') as Operator;
  const value = explicit ? raw.slice(colon + 1) : raw;
  if (!allowedOps.includes(op)) {
    throw bad(
      `operator "${op}" does not apply to ${name} (${field.spec.type})`,
      `operators for ${name}: ${allowedOps.join(' ')}`,
      allowedOps,
    );
  }
  if (op === 'is' || (op === 'not' && value === 'null')) {
    if (value !== 'null')
      throw bad(
        `"is:" takes only null, got "${value.slice(0, 60)}"`,
        `use ${name}=is:null or ${name}=not:null`,
      );
    return { field, op: op === 'is' ? 'null' : 'notnull' };
  }
  if (op === 'in' || op === 'not') {
    const items = value.split(',').map((item) => item.trim());
    if (items.length > MAX_IN_VALUES || items.some((item) => item === '')) {
      throw bad(
        `"${op}:" needs 1 to ${MAX_IN_VALUES} comma-separated, non-empty values`,
        `e.g. ${name}=${op}:a,b`,
      );
    }
    return { field, op: op === 'in' ? 'in' : 'notin', values: items.map((item) => typedValue(field, item)) };
  }
  if (op === 'like') {
    if (value === '')
      throw bad(`"like:" needs a pattern`, `e.g. ${name}=like:acme (substring) or like:acme* (prefix)`);
    if (value.length > 1000)
      throw bad(`the pattern for ${name} is longer than 1000 characters`, 'shorten it');
    return { field, op: 'like', value };
  }
  return { field, op, value: typedValue(field, value) };
}

function typedValue(field: FieldRef, value: string): string | number {
  const name = field.name;
  if (value.length > 1000) throw bad(`the value for ${name} is longer than 1000 characters`, 'shorten it');
  switch (field.spec.type) {
    case 'number': {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number)) {
        throw bad(`${name} needs a number, got "${value.slice(0, 60)}"`, `e.g. ${name}=gte:100000`);
      }
      return number;
    }
    case 'time': {
      const time = RFC3339.test(value)
        ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)
        : Number.NaN;
      if (Number.isNaN(time)) {
        throw bad(
          `${name} needs an RFC3339 time, got "${value.slice(0, 60)}"`,
          `e.g. ${name}=gte:2026-01-01T00:00:00Z`,
        );
      }
      return new Date(time).toISOString();
    }
    case 'id':
      return value.includes('/') ? value.slice(value.lastIndexOf('/') + 1) : value;
    default:
      return value;
  }
}

export function sortableFields(spec: ResourceSpec): string[] {
  return Object.entries(spec.fields)
    .filter(([, f]) => f.sortable)
    .map(([name]) => name);
}

export function parseSort(spec: ResourceSpec, sort: string | undefined, customSorts: CustomSorts = {}): Sort {
  const text = sort ?? spec.defaultSort;
  const direction = text.startsWith('-') ? 'desc' : 'asc';
  const field = text.replace(/^[-+]/, '');
  const customKey = spec.custom ? CUSTOM_KEY.exec(field)?.[1] : undefined;
  if (customKey && Object.hasOwn(customSorts, customKey)) {
    const type = customSorts[customKey] === 'number' ? 'number' : 'text';
    return { field, spec: { type, nullable: true, sortable: true }, direction, customKey };
  }
  const fieldSpec = Object.hasOwn(spec.fields, field) ? spec.fields[field] : undefined;
  if (!fieldSpec?.sortable) {
    const allowed = [...sortableFields(spec), ...Object.keys(customSorts).map((key) => `custom.${key}`)];
    throw bad(
      `cannot sort ${spec.kind}s by "${field.slice(0, 60)}"`,
      customKey
        ? `custom.${customKey} is not a typed field: declare it (POST /objects/${spec.kind}s/fields with a number, text, date, select, email, url or phone type), or sort by one of: ${allowed.join(', ')}`
        : `sort by one of: ${allowed.join(', ')} (prefix - for descending)`,
      allowed,
    );
  }
  return { field, spec: fieldSpec, direction };
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
