import { z } from 'zod';
import type { AnyOperation } from '../operations/define.js';
import { allowedFields } from '../operations/validation.js';
import type { Services } from '../services.js';

/** The JSON Schema of an operation's input, as a client sends it. */
export function inputJsonSchema(operation: AnyOperation): Record<string, unknown> {
  return z.toJSONSchema(operation.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

const pathParams = (path: string) => [...path.matchAll(/:([a-z_]+)/g)].map((match) => match[1]!);

/** GET /openapi.json, generated from the registry. */
export function openApiDocument(services: Services, operations: readonly AnyOperation[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const path = operation.http.path.replace(/:([a-z_]+)/g, '{$1}');
    const params = pathParams(operation.http.path);
    const inQuery = ['GET', 'DELETE'].includes(operation.http.method);
    const parameters = [
      ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(inQuery
        ? allowedFields(operation.input)
            .filter((name) => !params.includes(name) && name !== 'where')
            .map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }))
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
        : { requestBody: { content: { 'application/json': { schema: inputJsonSchema(operation) } } } }),
      responses: {
        default: { description: 'The agentcrm envelope (JSON) or record lines (text/plain).' },
      },
      'x-mutating': operation.mutating,
      'x-scope': operation.scope,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'agentcrm', version: '0.1.0', description: 'A headless CRM operated by AI agents.' },
    servers: [{ url: services.config.publicUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
