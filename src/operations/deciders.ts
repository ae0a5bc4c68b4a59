import type { AnyOperation, Decider, ExecutorSetup } from './define.js';

const STAGES: readonly Decider['stage'][] = ['budget', 'plan', 'workspace'];

/**
 * The executor's setup, built once where the app is assembled: how to find an operation by name
 * (the registry, passed in so that nothing here imports it) and the deciders features register.
 * Deciders are kept in stage order (budget before plan caps); a name registered twice is a bug.
 */
export function createExecutorSetup(
  findOperation: (name: string) => AnyOperation | undefined,
  ...registrations: (readonly Decider[])[]
): ExecutorSetup {
  const deciders = registrations.flat();
  const names = new Set<string>();
  for (const decider of deciders) {
    if (names.has(decider.name)) throw new Error(`decider ${decider.name} is registered twice`);
    names.add(decider.name);
  }
  const ordered = [...deciders].sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
  return Object.freeze({ findOperation, deciders: Object.freeze(ordered) });
}
