import { z } from 'zod';

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

/**
 * Names a type may not take: the built-in kinds, every top-level route of the API (`objects`,
 * `proposals`…) and words the records core uses. Built from the registry's paths where the app is
 * assembled (reservedTypeNames), so a route added later is reserved without anyone remembering.
 */
const ALWAYS_RESERVED_TYPES = ['contacts', 'companies', 'deals', 'tasks', 'activities', 'records', 'objects'];

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

/** Names a custom type may not take: the always-reserved words and every top-level route. */
export function reservedTypeNames(paths: readonly string[]): string[] {
  const routes = paths.map((path) => path.split('/')[1] ?? '').filter((segment) => /^[a-z_]+$/.test(segment));
  return [...new Set([...ALWAYS_RESERVED_TYPES, ...routes])].sort();
}
