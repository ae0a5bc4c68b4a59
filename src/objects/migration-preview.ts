import { AppError } from '../errors.js';
import type { OperationContext } from '../operations/define.js';
import { type FieldType, isBuiltinObject, valueSchema } from './object.js';

/**
 * What a typed field means for the records already there (declared, restored or made required on
 * a built-in kind): how many hold a value, how many lack one, which values would not convert.
 */

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
  // The policy and the handler of one call both ask: the records are read once per run.
  const memo = `migration-preview:${object}.${field.api_name}:${field.type}:${JSON.stringify(field.options ?? null)}`;
  const known = ctx.memo.get(memo) as MigrationPreview | undefined;
  if (known) return known;
  const preview = await readPreview(ctx, object, field);
  ctx.memo.set(memo, preview);
  return preview;
}

async function readPreview(
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

/**
 * What the records already there say about a typed field on a built-in kind (declared, restored or
 * made required): refused while any stored value would not convert, or while records lack a
 * required field that has no default. Answers the migration preview.
 */
export async function checkStoredValues(
  ctx: OperationContext,
  object: string,
  field: TypedField & { required?: boolean; default?: unknown },
  then: string,
) {
  const preview = await migrationPreview(ctx, object, field);
  if (preview.not_converting.length > 0) {
    throw new AppError(
      'invalid_input',
      `${preview.not_converting.length} record(s) of ${object} hold a custom.${field.api_name} that is not a ${field.type} value`,
      `fix or clear those values first (PATCH each record), then ${then}; the first are listed in details.blocking`,
      { details: { blocking: preview.not_converting.slice(0, 20) } },
    );
  }
  if (
    field.required &&
    preview.records_missing > 0 &&
    (field.default === undefined || field.default === null)
  ) {
    throw new AppError(
      'invalid_input',
      `${preview.records_missing} record(s) of ${object} have no ${field.api_name}, so it cannot be required yet`,
      'give it a default, or fill those records first, or leave required out',
    );
  }
  return preview;
}
