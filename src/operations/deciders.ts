import type { AnyOperation, Decider, ExecutorSetup } from './define.js';

const STAGES: readonly Decider['stage'][] = ['budget', 'plan', 'workspace'];

/**
 * The executor's setup, built once where the app is assembled: how to find an operation by name
 * (the registry, passed in so that nothing here imports it) and the deciders features register.
 * Deciders are kept in stage order (budget before plan caps); a name registered twice is a bug.
 */
export function createExecutorSetup(
  operations: readonly AnyOperation[],
  ...registrations: (readonly Decider[])[]
): ExecutorSetup {
  const deciders = registrations.flat();
  const names = new Set<string>();
  for (const decider of deciders) {
    if (names.has(decider.name)) throw new Error(`decider ${decider.name} is registered twice`);
    names.add(decider.name);
  }
  const ordered = [...deciders].sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
  const byName = new Map(operations.map((operation) => [operation.name, operation]));
  return Object.freeze({
    operations,
    findOperation: (name: string) => byName.get(name),
    deciders: Object.freeze(ordered),
  });
}
