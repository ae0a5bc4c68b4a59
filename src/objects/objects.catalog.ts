import type { AnyOperation, OperationContext } from '../operations/define.js';
import type { KindDefinition } from '../records/kinds.js';
import type { ObjectFieldsTable } from '../store/schema.js';
import {
  type FieldType,
  isBuiltinObject,
  type ObjectRecord,
  reservedTypeNames,
  toFieldRecord,
  valueSchema,
} from './object.js';

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

/** What checking stored values needs of a field. */
export interface TypedField {
  api_name: string;
  type: FieldType;
  options?: readonly string[] | null;
}

export interface MigrationPreview {
  /** Live records that hold a value for the field. */
  records_affected: number;
  /** Live records without one (they would need a default if the field were required). */
  records_missing: number;
  /** Records whose value is not a value of the declared type: they block the declaration. */
  not_converting: { id: string; value: unknown }[];
}

/** Rows read per page when a typed field is checked against the values already stored. */
const PAGE = 2000;

/**
 * What declaring `field` on `object` means for the records already there. A custom type's records
 * do not exist before its fields; on a built-in kind, every live record's `custom.<key>` is read
 * (in pages by id) and checked against the type.
 */
export async function migrationPreview(
  ctx: OperationContext,
  object: string,
  field: TypedField,
): Promise<MigrationPreview> {
  const preview: MigrationPreview = { records_affected: 0, records_missing: 0, not_converting: [] };
  if (!isBuiltinObject(object)) return preview;
  const schema = valueSchema({ type: field.type, options: field.options ?? null });
  const table = object as 'contacts';
  let after = '';
  for (;;) {
    const rows = await ctx.ws
      .selectFrom(table)
      .select(['id', 'custom'])
      .where('deleted_at', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const custom = JSON.parse(row.custom) as Record<string, unknown>;
      if (!(field.api_name in custom) || custom[field.api_name] === null) {
        preview.records_missing += 1;
        continue;
      }
      preview.records_affected += 1;
      const value = custom[field.api_name];
      if (!schema.safeParse(value).success) preview.not_converting.push({ id: row.id, value });
    }
    if (rows.length < PAGE) return preview;
    after = rows.at(-1)!.id;
  }
}

/** The preview in a sentence, for the approval inbox. */
export function describePreview(preview: MigrationPreview): string {
  if (preview.records_affected === 0 && preview.records_missing === 0) return 'no records yet';
  return `${preview.records_affected} record(s) hold a value, all convert; ${preview.records_missing} have none`;
}
