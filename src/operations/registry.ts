import { bootstrapAgent } from '../agents/bootstrap.operations.js';
import { contactOperations } from '../contacts/contacts.operations.js';
import { contactMergeOperations } from '../contacts/merge.operations.js';
import type { AnyOperation } from './define.js';

/** Every operation of the product. Each surface (REST, tools, MCP, catalog, /help) is built from this list. */
export const operations: readonly AnyOperation[] = [
  bootstrapAgent,
  // Before contactOperations: Hono tries routes in registration order, so the literal
  // GET /contacts/duplicates must come before GET /contacts/:contact_id.
  ...contactMergeOperations,
  ...contactOperations,
];

export function findOperation(name: string): AnyOperation | undefined {
  return operations.find((operation) => operation.name === name);
}
