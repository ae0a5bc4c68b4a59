import type { Services } from '../services.js';
import { type RecordType, recordTypes } from './core-tools.js';

/**
 * A record's URI is its HTTP address (`PUBLIC_URL/contacts/{id}`), so the same link works over MCP
 * (resources/read, record-resources.ts) and over HTTP. Every tool answer that is one record carries
 * a resource link to it.
 */

const typesOf = new WeakMap<Services, RecordType[]>();
export const recordTypesOf = (services: Services) => {
  let found = typesOf.get(services);
  if (!found) {
    found = recordTypes(services.executor.operations);
    typesOf.set(services, found);
  }
  return found;
};

/** `/contacts/{id}` for a kind with a get operation, else undefined. */
export function recordPath(type: RecordType): string {
  return type.get.http.path.replace(`:${type.idField}`, '{id}');
}

/** The resource link of one record in a tool answer, or undefined for data that is not one record. */
export function recordLink(services: Services, kind: string | undefined, data: unknown) {
  const type = kind ? recordTypesOf(services).find((candidate) => candidate.type === kind) : undefined;
  if (!type || !data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const { id, handle } = data as { id?: unknown; handle?: unknown };
  if (typeof id !== 'string') return undefined;
  return {
    type: 'resource_link' as const,
    uri: `${services.config.publicUrl}${recordPath(type).replace('{id}', encodeURIComponent(id))}`,
    name: typeof handle === 'string' ? handle : `${kind}/${id}`,
    mimeType: 'application/json',
  };
}
