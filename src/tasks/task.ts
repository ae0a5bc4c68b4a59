import { z } from 'zod';
import { custom, idRef, shortText, tags, timestamp } from '../records/fields.js';
import type { RecordKind } from '../records/kind.js';
import { defineKind, type KindList } from '../records/kinds.js';
import { checkPrincipal, principalRef } from '../records/principals.js';
import type { ResourceSpec } from '../records/query/parse.js';
import type { TasksTable } from '../store/schema.js';

export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;

export const assignee = principalRef;

export const taskFields = {
  title: shortText(300),
  notes: shortText(5000).nullable(),
  due_at: timestamp.nullable(),
  status: z.enum(TASK_STATUSES, { message: 'open, done or cancelled' }),
  contact_id: idRef('c').nullable(),
  deal_id: idRef('d').nullable(),
  company_id: idRef('co').nullable(),
  assignee: assignee.nullable(),
  tags: tags.nullable(),
  custom: custom.nullable(),
};

export const taskWrite = z.strictObject(
  Object.fromEntries(Object.entries(taskFields).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof typeof taskFields]: z.ZodOptional<(typeof taskFields)[K]>;
  },
);

export const taskCreate = z.strictObject({ ...taskWrite.shape, title: taskFields.title });

export interface TaskRecord {
  handle: string;
  id: string;
  title: string;
  notes: string | null;
  due_at: string | null;
  status: TasksTable['status'];
  completed_at: string | null;
  contact_id: string | null;
  deal_id: string | null;
  company_id: string | null;
  assignee: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  version: number;
  created_at: string;
  updated_at: string;
}

export function toTaskRecord(row: TasksTable): TaskRecord {
  return {
    handle: `task/${row.id}`,
    id: row.id,
    title: row.title,
    notes: row.notes,
    due_at: row.due_at,
    status: row.status,
    completed_at: row.completed_at,
    contact_id: row.contact_id,
    deal_id: row.deal_id,
    company_id: row.company_id,
    assignee: row.assignee,
    tags: JSON.parse(row.tags) as string[],
    custom: JSON.parse(row.custom) as Record<string, unknown>,
    version: Number(row.version),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export const taskKind: RecordKind<'tasks', TaskRecord> = {
  kind: 'task',
  table: 'tasks',
  prefix: 't',
  path: '/tasks',
  idField: 'task_id',
  writable: Object.keys(taskFields),
  blank: () => ({
    title: '',
    notes: null,
    due_at: null,
    status: 'open',
    completed_at: null,
    contact_id: null,
    deal_id: null,
    company_id: null,
    assignee: null,
    tags: '[]',
    custom: '{}',
  }),
  toRecord: toTaskRecord,
  derive(current, columns, now) {
    // completed_at records when the task was done; any other status clears it.
    if (columns.status !== undefined && columns.status !== (current?.status ?? 'open')) {
      return { ...columns, completed_at: columns.status === 'done' ? now : null };
    }
    return columns;
  },
  async validate(ws, columns) {
    await checkPrincipal(ws, 'assignee', columns.assignee);
  },
};

export const taskSpec: ResourceSpec = {
  kind: 'task',
  custom: true,
  defaultSort: 'due_at',
  fields: {
    id: { type: 'id', nullable: false, sortable: true },
    title: { type: 'text', nullable: false, sortable: true },
    notes: { type: 'text', nullable: true },
    due_at: { type: 'time', nullable: true, sortable: true },
    status: { type: 'text', nullable: false, sortable: true },
    completed_at: { type: 'time', nullable: true, sortable: true },
    contact_id: { type: 'id', nullable: true },
    deal_id: { type: 'id', nullable: true },
    company_id: { type: 'id', nullable: true },
    assignee: { type: 'id', nullable: true },
    tags: { type: 'tags', nullable: false },
    version: { type: 'number', nullable: false },
    created_at: { type: 'time', nullable: false, sortable: true },
    updated_at: { type: 'time', nullable: false, sortable: true },
  },
};

/** `open_tasks` of a record whose id the tasks' `column` holds, soonest due first. */
export const openTasks = (column: string): KindList => ({
  name: 'open_tasks',
  table: 'tasks',
  column,
  where: { status: 'open' },
  order: [{ column: 'due_at', nullsLast: true }, { column: 'id' }],
  more: (id) => `GET /tasks?${column}=${id}&status=open`,
});

export const taskDefinition = defineKind(taskKind, {
  writable: taskFields,
  references: [
    { column: 'contact_id', to: 'contacts' },
    { column: 'deal_id', to: 'deals' },
    { column: 'company_id', to: 'companies' },
  ],
});
