import type { AnyOperation } from '../operations/define.js';
import type { KindDefinition } from '../records/kinds.js';
import type { ObjectFieldsTable } from '../store/schema.js';
import { isBuiltinObject, reservedTypeNames } from './object.js';
import { type ObjectRecord, toFieldRecord } from './object-records.js';

/**
 * What the object operations know of the rest of the product, given where the registry is built:
 * the built-in kinds (their names, labels and own fields) and the names a custom type may not
 * take (computed from every operation's path on first use, so a route added later is reserved).
 */
export interface ObjectsCatalog {
  readonly builtinNames: readonly string[];
  builtin(name: string): KindDefinition | undefined;
  readonly reservedTypes: readonly string[];
}

export function objectsCatalog(source: {
  kinds: () => readonly KindDefinition[];
  operations: () => readonly AnyOperation[];
}): ObjectsCatalog {
  let reserved: string[] | undefined;
  const collection = (kind: KindDefinition) => kind.path.slice(1);
  return {
    get builtinNames() {
      return source.kinds().map(collection);
    },
    builtin: (name) => source.kinds().find((kind) => collection(kind) === name),
    get reservedTypes() {
      reserved ??= reservedTypeNames([
        ...source.operations().map((operation) => operation.http.path),
        ...source.kinds().map((kind) => kind.path),
      ]);
      return reserved;
    },
  };
}

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** A built-in kind as GET /objects shows it: its own columns, then the typed fields declared on it. */
export function builtinObjectRecord(
  catalog: ObjectsCatalog,
  name: string,
  fields: ObjectFieldsTable[],
): ObjectRecord & { accepts_fields: boolean } {
  const kind = catalog.builtin(name)!;
  return {
    handle: `object/${name}`,
    api_name: name,
    kind: 'builtin',
    label_singular: capital(kind.kind),
    label_plural: capital(name),
    description: null,
    status: 'active',
    version: null,
    accepts_fields: isBuiltinObject(name),
    builtin_fields: [...kind.fields],
    fields: fields.map(toFieldRecord),
    created_at: null,
    updated_at: null,
    archived_at: null,
  };
}
