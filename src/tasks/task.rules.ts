import type { OperationContext, Verdict } from '../operations/define.js';
import { loadPolicy } from '../policy/policy.js';
import { loadRecord } from '../records/loaded.js';
import { findMembership } from '../workspaces/members.repository.js';

/**
 * The "sometimes" of tasks.create (policy approve_agent_tasks_for_people): a task an agent assigns
 * to a person puts work on a human's list, so that person's side (a human of the workspace) approves
 * it first. Tasks an agent keeps for itself, gives another agent or leaves unassigned apply at once,
 * and so does anything a person does. tasks.update meets the same rule when it hands an existing
 * task to a different person, so reassigning is no way around it.
 */
export async function agentTaskForPerson(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Promise<Verdict | null> {
  if (ctx.caller?.principalType !== 'agent') return null;
  const assignee = input.assignee;
  if (typeof assignee !== 'string' || !assignee.startsWith('usr_')) return null;
  const policy = await loadPolicy(ctx.ws);
  if (!policy.approve_agent_tasks_for_people) return null;
  // Someone who is not a member is refused by the handler (invalid_input), never proposed.
  if (!(await findMembership(ctx.ws, assignee))) return null;
  const verdict = {
    decision: 'require_approval',
    reason_code: 'task.person_assignee_requires_approval',
  } as const;
  if (typeof input.task_id !== 'string') {
    const title = String(input.title ?? '');
    return {
      ...verdict,
      summary: `create the task "${title}" for user/${assignee}`,
      target: null,
      diff: { title: [null, title], assignee: [null, assignee] },
    };
  }
  const current = await loadRecord(ctx, 'tasks', input.task_id);
  if (!current || current.assignee === assignee) return null; // not_found, or no new assignee
  return {
    ...verdict,
    summary: `hand task/${current.id} (${current.title}) to user/${assignee}`,
    target: `task/${current.id}`,
    targetVersion: current.version,
    diff: { assignee: [current.assignee, assignee] },
  };
}
