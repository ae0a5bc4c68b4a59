import type { Services } from '../services.js';
import { callTypedTool, type ToolCaller } from './calls.js';
import { recordPath, recordTypesOf } from './record-links.js';

/**
 * Records as MCP resources (record-links.ts has their URIs): reading one runs the kind's get
 * operation for the caller, through the one executor, and answers its JSON envelope — an error
 * envelope (not_found, forbidden) when the caller may not see it.
 */

/** One resource template per record kind, for both SDKs to register with their own template class. */
export function recordTemplates(services: Services, who: ToolCaller) {
  return recordTypesOf(services).map((type) => ({
    name: `${type.type}-record`,
    template: `${services.config.publicUrl}${recordPath(type)}`,
    metadata: {
      title: `A ${type.type}`,
      description: `One ${type.type} as ${type.get.name} answers it (the JSON envelope), for this token's workspace.`,
      mimeType: 'application/json',
    },
    read: async (uri: URL, variables: Record<string, string | string[]>) => {
      const id = [variables.id].flat()[0] ?? '';
      const result = await callTypedTool(services, type.get, { [type.idField]: decodeURIComponent(id) }, who);
      return {
        contents: [
          { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(result.structuredContent) },
        ],
      };
    },
  }));
}
