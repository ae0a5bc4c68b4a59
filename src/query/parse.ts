import { AppError } from '../errors.js';

/** The kinds of value a filterable field holds; each allows its own operators. */
export type FieldType = 'text' | 'number' | 'time' | 'id' | 'tags';

export interface FieldSpec {
  type: FieldType;
  nullable: boolean;
  sortable?: boolean;
}

/** What a list endpoint lets callers filter and sort on. */
export interface ResourceSpec {
  /** `contact`, used in messages. */
  kind: string;
  fields: Record<string, FieldSpec>;
  /** Accepts `custom.<key>` filters. */
  custom: boolean;
  defaultSort: string;
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

export type Condition =
  | { field: string; spec: FieldSpec; custom: boolean; op: 'null' | 'notnull' }
  | {
      field: string;
      spec: FieldSpec;
      custom: boolean;
      op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';
      value: string | number;
    }
  | { field: string; spec: FieldSpec; custom: boolean; op: 'like'; value: string }
  | { field: string; spec: FieldSpec; custom: boolean; op: 'in' | 'notin'; values: (string | number)[] };

export interface Sort {
  field: string;
  spec: FieldSpec;
  direction: 'asc' | 'desc';
}

const CUSTOM_KEY = /^custom\.([A-Za-z0-9_-]{1,64})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2}))?$/;
const MAX_IN_VALUES = 100;

function bad(message: string, hint: string, allowed?: readonly string[]): AppError {
  return new AppError('invalid_query', message, hint, allowed ? { details: { allowed } } : {});
}

export function filterableFields(spec: ResourceSpec): string[] {
  return [...Object.keys(spec.fields), ...(spec.custom ? ['custom.<key>'] : [])];
}

/** Parses `field=[op:]value` filters (values may repeat; repeated ones are AND-ed). */
export function parseFilters(spec: ResourceSpec, where: Record<string, string | string[]>): Condition[] {
  const conditions: Condition[] = [];
  for (const [field, raw] of Object.entries(where)) {
    const values = Array.isArray(raw) ? raw : [raw];
    const customKey = CUSTOM_KEY.exec(field);
    const fieldSpec: FieldSpec | undefined = customKey
      ? spec.custom
        ? { type: 'text', nullable: true }
        : undefined
      : Object.hasOwn(spec.fields, field)
        ? spec.fields[field]
        : undefined;
    if (!fieldSpec) {
      const allowed = filterableFields(spec);
      throw bad(
        `unknown filter field "${field}" for ${spec.kind}s`,
        `filter on one of: ${allowed.join(', ')}; or use search=, sort=, limit=, cursor=`,
        allowed,
      );
    }
    for (const value of values) conditions.push(parseOne(field, fieldSpec, Boolean(customKey), value));
  }
  return conditions;
}

function parseOne(field: string, spec: FieldSpec, custom: boolean, raw: string): Condition {
  const colon = raw.indexOf(':');
  const prefix = colon > 0 ? raw.slice(0, colon) : '';
  const explicit = (OPERATORS as readonly string[]).includes(prefix);
  const op = (explicit ? prefix : 'eq') as Operator;
  const value = explicit ? raw.slice(colon + 1) : raw;
  const allowedOps = OPS_BY_TYPE[spec.type];
  if (!allowedOps.includes(op)) {
    throw bad(
      `operator "${op}" does not apply to ${field} (${spec.type})`,
      `operators for ${field}: ${allowedOps.join(' ')}`,
      allowedOps,
    );
  }
  const base = { field, spec, custom };
  if (op === 'is' || (op === 'not' && value === 'null')) {
    if (value !== 'null')
      throw bad(`"is:" takes only null, got "${value}"`, `use ${field}=is:null or ${field}=not:null`);
    return { ...base, op: op === 'is' ? 'null' : 'notnull' };
  }
  if (op === 'in' || op === 'not') {
    const items = value.split(',').map((item) => item.trim());
    if (items.length > MAX_IN_VALUES || items.some((item) => item === '')) {
      throw bad(
        `"${op}:" needs 1 to ${MAX_IN_VALUES} comma-separated, non-empty values`,
        `e.g. ${field}=${op}:a,b`,
      );
    }
    return {
      ...base,
      op: op === 'in' ? 'in' : 'notin',
      values: items.map((item) => typedValue(field, spec, item)),
    };
  }
  if (op === 'like') {
    if (value === '')
      throw bad(`"like:" needs a pattern`, `e.g. ${field}=like:acme (substring) or like:acme* (prefix)`);
    return { ...base, op: 'like', value };
  }
  return { ...base, op, value: typedValue(field, spec, value) };
}

function typedValue(field: string, spec: FieldSpec, value: string): string | number {
  if (value.length > 1000) throw bad(`the value for ${field} is longer than 1000 characters`, 'shorten it');
  switch (spec.type) {
    case 'number': {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number)) {
        throw bad(`${field} needs a number, got "${value}"`, `e.g. ${field}=gte:100000`);
      }
      return number;
    }
    case 'time': {
      const time = RFC3339.test(value)
        ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)
        : Number.NaN;
      if (Number.isNaN(time)) {
        throw bad(`${field} needs an RFC3339 time, got "${value}"`, `e.g. ${field}=gte:2026-01-01T00:00:00Z`);
      }
      return new Date(time).toISOString();
    }
    case 'id':
      return value.includes('/') ? value.slice(value.lastIndexOf('/') + 1) : value;
    default:
      return value;
  }
}

export function parseSort(spec: ResourceSpec, sort: string | undefined): Sort {
  const text = sort ?? spec.defaultSort;
  const direction = text.startsWith('-') ? 'desc' : 'asc';
  const field = text.replace(/^[-+]/, '');
  const fieldSpec = Object.hasOwn(spec.fields, field) ? spec.fields[field] : undefined;
  if (!fieldSpec?.sortable) {
    const allowed = Object.entries(spec.fields)
      .filter(([, f]) => f.sortable)
      .map(([name]) => name);
    throw bad(
      `cannot sort ${spec.kind}s by "${field}"`,
      `sort by one of: ${allowed.join(', ')} (prefix - for descending)`,
      allowed,
    );
  }
  return { field, spec: fieldSpec, direction };
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
