import type { Decider } from '../operations/define.js';
import { loadPolicy } from './policy.js';

/**
 * What the workspace policy registers with the executor (src/app.ts), besides each operation's
 * own rules: the operations an admin has every agent call of approved by a human. Not asked again
 * when the approved proposal runs: the approval stands for it.
 */
export const policyDeciders: readonly Decider[] = [
  {
    name: 'policy.approve_agent_operations',
    stage: 'workspace',
    onApproval: false,
    async decide(ctx, { operation, input, count }) {
      if (ctx.caller?.principalType !== 'agent') return null;
      const policy = await loadPolicy(ctx.ws);
      if (!policy.approve_agent_operations.includes(operation.name)) return null;
      const values = input !== null && typeof input === 'object' ? Object.entries(input) : [];
      return {
        decision: 'require_approval',
        reason_code: 'policy.operation_requires_approval',
        summary: `${operation.name}${count > 1 ? ` (${count} items)` : ''} by an agent: this workspace has a human approve it`,
        diff: Object.fromEntries(values.map(([field, value]) => [field, [null, value]])),
      };
    },
  },
];
