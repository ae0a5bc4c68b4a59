import { z } from 'zod';
import { AppError } from '../errors.js';
import { defineOperation } from '../operations/define.js';
import { idRef } from '../records/fields.js';
import { loadRecord } from '../records/loaded.js';
import {
  createOperation,
  getOperation,
  searchOperation,
  updateOperation,
} from '../records/record.operations.js';
import { expectedVersion, recordResult, versionInput } from '../records/records.js';
import { withRefs } from '../records/refs.js';
import { recordView } from '../records/views.js';
import { missing, updateRecord } from '../records/write.js';
import { taskCreate, taskKind, taskSpec, taskWrite, toTaskRecord } from './task.js';
import { agentTaskForPerson } from './task.rules.js';
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
    const current = await loadRecord(ctx, 'tasks', input.task_id);
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
