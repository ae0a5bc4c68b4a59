import { AppError } from '../errors.js';
import type { OperationContext } from '../operations/define.js';
import type { CustomFieldRules } from '../records/custom-fields.js';
import { type FieldType, isBuiltinObject, valueSchema } from './object.js';
import { type FieldRecord, toFieldRecord } from './object-records.js';
import { listObjectFields } from './objects.repository.js';

/** The active typed custom.<key> fields declared on a built-in kind's table, once per run. */
export async function typedCustomKeys(ctx: OperationContext, table: string): Promise<FieldRecord[]> {
  if (!isBuiltinObject(table)) return [];
  const memo = `typed-custom:${table}`;
  const known = ctx.memo.get(memo) as FieldRecord[] | undefined;
  if (known) return known;
  const keys = (await listObjectFields(ctx.ws, table))
    .filter((row) => row.status === 'active')
    .map(toFieldRecord);
  ctx.memo.set(memo, keys);
  return keys;
}

/**
 * Checks the `custom` a create or update of a contact, company or deal would store against the
 * typed fields declared on its kind (docs/objects.md): each declared key holds a value of its
 * type; a create gets the defaults of the keys it leaves out; a required key may not be left out
 * or cleared (an update fills it from its default when there is one). Undeclared keys stay free.
 * Returns the columns to write (custom with defaults added), or the same columns.
 */
export async function checkTypedCustom<Columns extends Record<string, unknown>>(
  ctx: OperationContext,
  table: string,
  columns: Columns,
  creating: boolean,
): Promise<Columns> {
  if (!creating && columns.custom === undefined) return columns;
  const keys = await typedCustomKeys(ctx, table);
  if (keys.length === 0) return columns;
  const custom = JSON.parse((columns.custom as string | undefined) ?? '{}') as Record<string, unknown>;
  let filled = false;
  for (const field of keys) {
    const value = custom[field.api_name];
    if (value === undefined || value === null) {
      if ((creating || field.required) && field.default !== null) {
        custom[field.api_name] = field.default;
        filled = true;
      } else if (field.required) {
        throw new AppError(
          'invalid_input',
          `custom.${field.api_name} is required on ${table} (a ${field.type} field)`,
          `send "custom": {"${field.api_name}": …}; GET /objects/${table} shows the typed fields`,
          { details: { fields: [{ path: `custom.${field.api_name}`, message: 'required' }] } },
        );
      }
      continue;
    }
    const parsed = valueSchema({ type: field.type, options: field.options }).safeParse(value);
    if (!parsed.success) {
      const problem = parsed.error.issues[0]?.message ?? 'invalid';
      throw new AppError(
        'invalid_input',
        `custom.${field.api_name}: not a ${field.type} value (${problem})`,
        `custom.${field.api_name} is declared ${field.type} on ${table} (GET /objects/${table}); send a value of that type, or null to clear it`,
        {
          details: {
            fields: [{ path: `custom.${field.api_name}`, message: problem }],
            ...(field.options ? { allowed: field.options } : {}),
          },
        },
      );
    }
  }
  return filled ? { ...columns, custom: JSON.stringify(custom) } : columns;
}

/** Types whose values sort in a meaningful order: numbers by value, the rest as text. */
const SORTABLE: Partial<Record<FieldType, 'number' | 'text'>> = {
  number: 'number',
  text: 'text',
  email: 'text',
  url: 'text',
  phone: 'text',
  select: 'text',
  date: 'text',
};

/** The typed custom keys of a kind that sort= may name (datetime, money and lists do not sort yet). */
export async function typedCustomSorts(
  ctx: OperationContext,
  table: string,
): Promise<Record<string, 'number' | 'text'>> {
  const sorts: Record<string, 'number' | 'text'> = {};
  for (const field of await typedCustomKeys(ctx, table)) {
    const order = SORTABLE[field.type];
    if (order) sorts[field.api_name] = order;
  }
  return sorts;
}

/** The rules the records core asks on writes and sorts (registered in src/kinds.ts). */
export const typedCustomRules: CustomFieldRules = {
  check: checkTypedCustom,
  sorts: typedCustomSorts,
};
