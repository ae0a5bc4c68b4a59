import { z } from 'zod';
import type { AnyOperation } from '../operations/define.js';
import type { RecordView } from '../operations/projection.js';
import { allowedFields } from '../operations/validation.js';
import { kindNamed } from '../records/kinds.js';
import { typeListsToAnyOf } from '../records/record-schema.js';
import type { Services } from '../services.js';
import { ENVELOPE_SCHEMAS, recordComponent, responsesOf } from './openapi-responses.js';

/** The JSON Schema of an operation's input, as a client sends it. */
export function inputJsonSchema(operation: AnyOperation): Record<string, unknown> {
  const schema = z.toJSONSchema(operation.input, { io: 'input', unrepresentable: 'any' });
  return typeListsToAnyOf(schema) as Record<string, unknown>;
}

/** What `fields` and `expand` do, for the tool catalog, MCP tool schemas and /openapi.json. */
export function projectionDescriptions(view: RecordView) {
  return {
    fields:
      `Only these fields of each ${view.kind} (plus handle and id), comma-separated, to save tokens: ` +
      `${view.fields.join(', ')}. A related record's field is <relation>.<field>, e.g. ` +
      `${view.fields.find((name) => name.endsWith('.<field>'))?.replace('<field>', 'name') ?? 'company.name'}` +
      ' (null when there is none or it was deleted).',
    expand: view.expansions.length
      ? `Related records to include, comma-separated: ${view.expansions.join(', ')}. A single related record ` +
        `comes whole; lists hold the first ${view.listLimit} (with more.<name> saying where to read the rest). ` +
        'Related records are compact (no empty fields, version or timestamps). Saves a second call.'
      : `Nothing to expand on ${view.kind} records.`,
  };
}

/** JSON Schema properties for `fields` and `expand` (tool input, a list or comma-separated text). */
export function projectionProperties(view: RecordView): Record<string, unknown> {
  const text = projectionDescriptions(view);
  const names = (description: string, items: Record<string, unknown>) => ({
    anyOf: [
      { type: 'array', items: { type: 'string', ...items }, maxItems: 50 },
      { type: 'string', maxLength: 2000 },
    ],
    description,
  });
  return {
    fields: names(text.fields, {}),
    ...(view.expansions.length ? { expand: names(text.expand, { enum: [...view.expansions] }) } : {}),
  };
}

/**
 * A schema whose `$defs` (zod writes them for recursive and named types, such as `JsonValue`, the
 * value of a custom field) moved into the document's `components.schemas`, with every `#/$defs/…`
 * reference rewritten to point there: inside an OpenAPI document a `$ref` is resolved against the
 * document, not the schema. A named definition becomes one shared component; an unnamed one
 * (`__schemaN`) is named after its operation.
 */
function hoistDefinitions(
  schema: Record<string, unknown>,
  owner: string,
  components: Record<string, unknown>,
): Record<string, unknown> {
  const { $defs, ...rest } = schema as { $defs?: Record<string, unknown> };
  if (!$defs) return schema;
  const renamed = new Map<string, string>();
  for (const name of Object.keys($defs)) {
    const target = /^__schema\d+$/.test(name) ? `${owner}.${name.replace(/^_+/, '')}` : name;
    renamed.set(`#/$defs/${name}`, target);
  }
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        const target = key === '$ref' && typeof inner === 'string' ? renamed.get(inner) : undefined;
        return [key, target ? `#/components/schemas/${target}` : rewrite(inner)];
      }),
    );
  };
  for (const [name, definition] of Object.entries($defs)) {
    const target = renamed.get(`#/$defs/${name}`)!;
    const hoisted = rewrite(definition);
    if (target in components && JSON.stringify(components[target]) !== JSON.stringify(hoisted)) {
      throw new Error(`two different schemas are both named ${target}: give one another id`);
    }
    components[target] = hoisted;
  }
  return rewrite(rest) as Record<string, unknown>;
}

/**
 * A query parameter's schema: the input field's own (`limit` an integer, `sort` text), as a query
 * string carries it; text where the field's schema names shared definitions.
 */
function queryParameterSchema(operation: AnyOperation, name: string): Record<string, unknown> {
  const { properties } = inputJsonSchema(operation) as {
    properties?: Record<string, Record<string, unknown>>;
  };
  const schema = properties?.[name];
  if (!schema || JSON.stringify(schema).includes('"$ref"')) return { type: 'string' };
  const { default: _default, ...rest } = schema;
  return rest;
}

const pathParams = (path: string) => [...path.matchAll(/:([a-z_]+)/g)].map((match) => match[1]!);

/** GET /openapi.json, generated from the registry. */
export function openApiDocument(services: Services, operations: readonly AnyOperation[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = { ...ENVELOPE_SCHEMAS };
  const records = new Set<string>();
  for (const operation of operations) {
    const path = operation.http.path.replace(/:([a-z_]+)/g, '{$1}');
    const params = pathParams(operation.http.path);
    const inQuery = ['GET', 'DELETE'].includes(operation.http.method);
    const parameters = [
      ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(inQuery
        ? allowedFields(operation.input)
            .filter((name) => !params.includes(name) && name !== 'where')
            .map((name) => ({
              name,
              in: 'query',
              required: false,
              schema: queryParameterSchema(operation, name),
            }))
        : []),
      ...(operation.http.queryFilters
        ? [
            {
              name: 'filters',
              in: 'query',
              required: false,
              style: 'form',
              explode: true,
              description:
                'Filters as query parameters of their own, field=value or field=<op>:value (e.g. stage=lead, ' +
                'amount_cents=gte:1000, company.domain=acme.com, custom.tier=gold); GET /help explains the operators.',
              schema: { type: 'object', additionalProperties: { type: 'string' } },
            },
          ]
        : []),
      ...(operation.view
        ? Object.entries(projectionDescriptions(operation.view))
            .filter(([name]) => name === 'fields' || operation.view!.expansions.length > 0)
            .map(([name, description]) => ({
              name,
              in: 'query',
              required: false,
              description,
              schema: { type: 'string' },
            }))
        : []),
    ];
    paths[path] ??= {};
    paths[path][operation.http.method.toLowerCase()] = {
      operationId: operation.name,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      ...(operation.auth === 'none' ? { security: [] } : {}),
      parameters,
      ...(inQuery
        ? {}
        : {
            requestBody: {
              content: {
                'application/json': {
                  schema: hoistDefinitions(inputJsonSchema(operation), operation.name, schemas),
                },
              },
            },
          }),
      responses: responsesOf(operation, records),
      'x-mutating': operation.mutating,
      'x-scope': operation.scope,
    };
  }
  for (const kind of [...records].sort()) {
    const schema = kindNamed(kind)!.schema!;
    schemas[recordComponent(kind)] = hoistDefinitions(schema, recordComponent(kind), schemas);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'agentcrm', version: '0.1.0', description: 'A headless CRM operated by AI agents.' },
    servers: [{ url: services.config.publicUrl }],
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
