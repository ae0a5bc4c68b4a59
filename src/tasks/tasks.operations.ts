import { z } from 'zod';
import { AppError } from '../errors.js';
import { defineOperation, type OperationContext, type Verdict } from '../operations/define.js';
import { loadPolicy } from '../policy/policy.js';
import { idRef } from '../records/fields.js';
import { heldResult, updateWithHolds } from '../records/holds.js';
import {
  createOperation,
  getOperation,
  searchOperation,
  updateOperation,
} from '../records/record.operations.js';
import { expectedVersion, recordResult, versionInput } from '../records/records.js';
import { findRecord } from '../records/records.repository.js';
import { withRefs } from '../records/refs.js';
import { recordView } from '../records/views.js';
import { missing, updateRecord } from '../records/write.js';
import { findMembership } from '../workspaces/members.repository.js';
import { taskCreate, taskKind, taskSpec, taskWrite, toTaskRecord } from './task.js';
import { listTasks } from './tasks.repository.js';

export const completeTask = defineOperation({
  name: 'tasks.complete',
  view: recordView('tasks'),
  // The guide: completing a task never waits for a human, so field-level holds do not apply to it.
  approval: 'never',
  summary: 'Mark a task done (completed_at is set); completing a done task changes nothing.',
  http: { method: 'POST', path: '/tasks/:task_id/complete' },
  scope: 'write',
  mutating: true,
  input: z.strictObject({ task_id: idRef('t'), ...versionInput }),
  async handler(ctx, input) {
    const current = await findRecord(ctx.ws, 'tasks', input.task_id);
    if (!current) throw await missing(ctx, taskKind, input.task_id);
    if (current.status === 'cancelled') {
      throw new AppError(
        'conflict',
        `task/${current.id} is cancelled`,
        `reopen it first with PATCH /tasks/${current.id} {"status":"open"}, or leave it cancelled`,
      );
    }
    const update = await updateRecord(ctx, taskKind, current.id, { status: 'done' }, expectedVersion(input));
    const [record] = await withRefs(ctx.ws, 'tasks', [update.row], toTaskRecord);
    return recordResult(record!, { meta: [update.changed ? '# completed' : '# unchanged: already done'] });
  },
});

/**
 * The "sometimes" of tasks.create (policy approve_agent_tasks_for_people): a task an agent assigns
 * to a person puts work on a human's list, so that person's side (a human of the workspace) approves
 * it first. Tasks an agent keeps for itself, gives another agent or leaves unassigned apply at once,
 * and so does anything a person does. tasks.update meets the same rule when it hands an existing
 * task to a different person, so reassigning is no way around it.
 */
async function agentTaskForPerson(
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
  const current = await findRecord(ctx.ws, 'tasks', input.task_id);
  if (!current || current.assignee === assignee) return null; // not_found, or no new assignee
  return {
    ...verdict,
    summary: `hand task/${current.id} (${current.title}) to user/${assignee}`,
    target: `task/${current.id}`,
    targetVersion: current.version,
    diff: { assignee: [current.assignee, assignee] },
  };
}

const ASSIGN_NOTE =
  "An agent's task assigned to a person (usr_…, a member), or reassigned to one, waits for a human's approval " +
  '(outcome proposed, task.person_assignee_requires_approval; policy approve_agent_tasks_for_people).';

export const taskOperations = [
  createOperation(taskKind, {
    summary:
      'Create a task: title, due_at, notes, links to a contact/deal/company, assignee (agt_… or usr_…).',
    description:
      'status starts open; complete it with tasks.complete (POST /tasks/{id}/complete) or PATCH status to done or ' +
      'cancelled. Links must name live records of this workspace; an agent assignee must be an agent of it. ' +
      ASSIGN_NOTE,
    input: taskCreate,
    // The guide's tool table: a task (one assigned to a person, by the workspace policy) may wait for a human.
    approval: 'sometimes',
    policy: agentTaskForPerson,
    reasonCodes: ['task.person_assignee_requires_approval'],
  }),
  getOperation(taskKind),
  updateOperation(taskKind, taskWrite, {
    description: ASSIGN_NOTE,
    policy: agentTaskForPerson,
    reasonCodes: ['task.person_assignee_requires_approval'],
  }),
  searchOperation(taskKind, taskSpec, listTasks, 'title and notes', 'tasks.list'),
  completeTask,
];
