import { z } from 'zod';

/** Field schemas shared by the CRM record kinds. `null` always means "clear this field". */

export const shortText = (max: number) => z.string().trim().min(1).max(max);

export const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'not a valid email address' }))
  .transform((value) => value.toLowerCase());

export const phone = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[+()0-9 .\-x]+$/i, 'digits, spaces and + ( ) . - x only');

export const stage = z
  .string()
  .trim()
  .transform((value) => value.toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a short slug such as lead, qualified, customer'));

/** RFC3339 in, fixed-width UTC ISO out — the form the database stores and compares. */
export const timestamp = z
  .string()
  .trim()
  .pipe(z.iso.datetime({ offset: true, message: 'an RFC3339 time such as 2026-06-10T09:00:00Z' }))
  .transform((value) => new Date(value).toISOString());

export const tags = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(50)
      .regex(/^[^,\s]+$/, 'a tag has no commas or spaces'),
  )
  .max(50)
  .transform((list) => [...new Set(list)]);

const jsonValue: z.ZodType<unknown> = z
  .lazy(() =>
    z.union([
      z.string().max(10_000),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(jsonValue).max(100),
      z.record(z.string(), jsonValue),
    ]),
  )
  .meta({ id: 'JsonValue', description: 'Any JSON value (a custom field value).' });

/** Custom fields: stored as sent; keys are simple names so `custom.<key>` filters work. */
export const custom = z
  .record(
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'custom keys: letters, digits, _ and - (max 64)'),
    jsonValue,
  )
  .refine((value) => Object.keys(value).length <= 100, 'at most 100 custom keys')
  .refine((value) => JSON.stringify(value).length <= 32_768, 'custom fields are limited to 32 KiB of JSON');

/** An id that may also be given as its handle (`company/co_…`). */
export const idRef = (prefix: string) =>
  z
    .string()
    .trim()
    .transform((value) => value.slice(value.lastIndexOf('/') + 1))
    .pipe(z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{16}$`), `an id like ${prefix}_… or its handle`));

/** Merges custom fields key by key: keys sent as null are removed, others replaced. */
export function mergeCustom(current: Record<string, unknown>, patch: Record<string, unknown>) {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
