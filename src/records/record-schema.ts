import { z } from 'zod';

/** A JSON Schema (2020-12), as the OpenAPI document and the tool catalog carry it. */
export type JsonSchema = Record<string, unknown>;

/** What every record shows beside its own fields. */
const COMMON: Record<string, JsonSchema> = {
  handle: { type: 'string', description: 'kind/id, e.g. contact/c_…: how answers and agents name a record' },
  id: { type: 'string' },
  version: { type: 'integer', minimum: 1, description: 'send it back as expected_version to update safely' },
  created_at: { type: 'string', format: 'date-time' },
  updated_at: { type: 'string', format: 'date-time' },
  deleted_refs: {
    type: 'array',
    items: { type: 'string' },
    description:
      'handles of referenced records that are deleted (restorable), shown only when there are some',
  },
};

/**
 * The JSON Schema of one record as answers show it: its writable fields as their schemas say
 * (values may be null where a write may clear them), the fields every record has, and for any
 * other field it shows (a deal's closed_at) a timestamp for `*_at` names, else any value. Built
 * from the kind's own description, so a kind defined from data gets one the same way.
 */
export function recordSchema(
  kind: string,
  fields: readonly string[],
  writable: Record<string, z.ZodType>,
): JsonSchema {
  const schemaAs = (io: 'input' | 'output') =>
    typeListsToAnyOf(z.toJSONSchema(z.object(writable), { io, unrepresentable: 'any' })) as {
      properties: Record<string, JsonSchema>;
      $defs?: Record<string, JsonSchema>;
    };
  const written = schemaAs('output');
  const sent = schemaAs('input');
  // A field whose value is normalised on the way in (an email lowercased, tags split) has no
  // representable output schema: the schema of what a client sends stands for it.
  const opaque = (schema: JsonSchema | undefined) =>
    schema !== undefined &&
    (Object.keys(schema).length === 0 ||
      (Array.isArray(schema.anyOf) &&
        (schema.anyOf as JsonSchema[]).some((part) => Object.keys(part).length === 0)));
  const fieldSchema = (field: string) =>
    opaque(written.properties[field]) ? sent.properties[field] : written.properties[field];
  const properties = Object.fromEntries(
    fields.map((field) => [
      field,
      fieldSchema(field) ??
        COMMON[field] ??
        (field.endsWith('_at') ? { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] } : {}),
    ]),
  );
  return {
    type: 'object',
    description: `A ${kind} record.`,
    properties,
    // fields= keeps only the named fields (and always handle and id); expand= adds related records.
    required: ['handle', 'id'],
    ...(written.$defs ? { $defs: written.$defs } : {}),
  };
}

/**
 * `{"type": ["string", "null"], "format": …}` (what zod writes for some nullable fields) becomes
 * `{"anyOf": [{"type": "string", "format": …}, {"type": "null"}]}` throughout a schema: the same
 * schema, in the form clients that map tool schemas onto a one-type dialect (Gemini's OpenAPI
 * subset) accept; the MCP Inspector's --strict portability check flags the list form.
 */
export function typeListsToAnyOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(typeListsToAnyOf);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(([key, value]) => [key, typeListsToAnyOf(value)] as const);
  const schema = Object.fromEntries(entries) as Record<string, unknown>;
  if (!Array.isArray(schema.type)) return schema;
  const { type: types, description, ...rest } = schema;
  return {
    ...(description !== undefined ? { description } : {}),
    anyOf: (types as string[]).map((type) => (type === 'null' ? { type } : { type, ...rest })),
  };
}
