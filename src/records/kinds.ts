import type { z } from 'zod';
import type { Policy } from '../policy/policy.js';
import type { RecordKind, RecordTable } from './kind.js';
import { type JsonSchema, recordSchema } from './record-schema.js';
import type { OrderTerm } from './views.repository.js';

/**
 * The kinds of record the core knows. The core imports no kind: each kind describes itself with a
 * KindDefinition and registers it (src/kinds.ts lists the built-in ones; createApp registers them),
 * and the core looks kinds up here by table, by handle prefix or by handle. Everything in a
 * definition is a runtime description (names, lists, functions over plain rows), so a kind can be
 * built from data as well as written in code.
 */

/** A column of this kind's records that points at a record of another kind. */
export interface KindReference {
  column: string;
  /** The table of the kind pointed at. */
  to: string;
  /**
   * Owned rows belong to the target: while it is deleted they are hidden with it (a contact's
   * activities). Other references are kept and shown in `deleted_refs` until the target is
   * restored or the reference is changed.
   */
  owned?: boolean;
}

/** A bounded list of related records a record of this kind expands to: a contact's `open_deals`. */
export interface KindList {
  name: string;
  /** The table of the listed records, and their column that points at this record. */
  table: string;
  column: string;
  /** Equalities every listed record meets (`status = open`). */
  where?: Record<string, string>;
  order: readonly OrderTerm[];
  /** Where to read the rest when there are more than a list shows. */
  more(id: string): string;
}

/** What a kind adds to the shared policy rules (the kind's own verdicts sit on its operations). */
export interface KindRules {
  /**
   * Whether an agent's change of `field`, whose stored value is `before`, needs a human (a
   * contact's sensitive fields). Rules that weigh many records at once (revert) ask each kind.
   */
  fieldNeedsHuman?(policy: Policy, field: string, before: unknown): boolean;
}

export interface KindDefinition {
  /** The handle prefix: `contact` in `contact/c_…`. */
  kind: string;
  /** Where its records are stored. */
  table: string;
  /** The collection route, e.g. `/contacts`. */
  path: string;
  /** The record's own fields, in the order records show them (`handle` and `id` first). */
  fields: readonly string[];
  /** A stored row as the record answers show. */
  toRecord(row: never): object;
  references?: readonly KindReference[];
  lists?: readonly KindList[];
  /** For versioned, soft-deletable kinds: what the shared writes (create, update, delete) need. */
  record?: RecordKind;
  rules?: KindRules;
  /** The JSON Schema of one record as answers show it (recordSchema), for /openapi.json. */
  schema?: JsonSchema;
}

const byTable = new Map<string, KindDefinition>();
const byKind = new Map<string, KindDefinition>();
let generation = 0;

/** Adds a kind (again: the same definition is a no-op; another one under a taken name is an error). */
export function registerKind(definition: KindDefinition): void {
  const taken = byTable.get(definition.table) ?? byKind.get(definition.kind);
  if (taken === definition) return;
  if (taken) {
    throw new Error(`kind ${definition.kind} (table ${definition.table}) clashes with kind ${taken.kind}`);
  }
  byTable.set(definition.table, definition);
  byKind.set(definition.kind, definition);
  generation++;
}

/** Changes whenever a kind is registered: caches built from the registry compare it. */
export const kindsGeneration = () => generation;

export const allKinds = (): KindDefinition[] => [...byTable.values()];

const unknownKind = (what: string) =>
  new Error(`no kind registered for ${what}: registerKinds() (src/kinds.ts) runs when the app is assembled`);

/** The kind stored in `table`; throws when none is registered (a programming error, not input). */
export function kindOfTable(table: string): KindDefinition {
  const definition = byTable.get(table);
  if (!definition) throw unknownKind(`table ${table}`);
  return definition;
}

/** The kind with this handle prefix (`contact`), or undefined. */
export const kindNamed = (kind: string): KindDefinition | undefined => byKind.get(kind);

/** The kind a handle (`contact/c_…`) names, or undefined. */
export const kindOfHandle = (handle: string): KindDefinition | undefined =>
  byKind.get(handle.slice(0, handle.indexOf('/')));

/** The fields a record shows, worked out from a kind's blank row (for kinds written in code). */
export function fieldsOf(record: RecordKind): string[] {
  const generated = {
    workspace_id: '',
    id: '',
    version: 1,
    created_at: '',
    updated_at: '',
    deleted_at: null,
  };
  return [...Object.keys(record.toRecord({ ...record.blank(), ...generated } as never)), 'deleted_refs'];
}

/** A definition for a versioned kind written in code: identity and fields come from its RecordKind. */
export function defineKind<T extends RecordTable, R extends { version: number }>(
  written: RecordKind<T, R>,
  extra: Pick<KindDefinition, 'references' | 'lists' | 'rules'> & {
    writable?: Record<string, z.ZodType>;
  } = {},
): KindDefinition {
  // The registry holds every kind alike; the row and record types stay with the kind's own code.
  const record = written as unknown as RecordKind;
  const { writable, ...rest } = extra;
  const fields = fieldsOf(record);
  return {
    kind: record.kind,
    table: record.table,
    path: record.path,
    fields,
    toRecord: record.toRecord as KindDefinition['toRecord'],
    record,
    ...(writable ? { schema: recordSchema(record.kind, fields, writable) } : {}),
    ...rest,
  };
}
