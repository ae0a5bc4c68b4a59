import { z } from 'zod';
import { defineOperation, type Warning } from '../operations/define.js';
import { decodeCursor, encodeCursor, queryFingerprint } from '../records/query/cursor.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../records/query/parse.js';
import type { ContactsTable, DealsTable, TasksTable } from '../store/schema.js';
import { type After, dueRows, SOURCES } from './reminders.repository.js';

type Kind = keyof typeof SOURCES;

interface Reminder {
  handle: string;
  id: string;
  due: string;
  overdue: boolean;
  [field: string]: unknown;
}

function reminder(kind: Kind, row: ContactsTable | DealsTable | TasksTable, now: string): Reminder {
  const due = (kind === 'task' ? (row as TasksTable).due_at : (row as ContactsTable).follow_up_at)!;
  const base = { handle: `${kind}/${row.id}`, id: row.id, due, overdue: due < now };
  if (kind === 'contact') {
    const contact = row as ContactsTable;
    return {
      ...base,
      name: contact.name,
      email: contact.email,
      follow_up_at: due,
      follow_up_note: contact.follow_up_note,
    };
  }
  if (kind === 'deal') {
    const deal = row as DealsTable;
    return {
      ...base,
      title: deal.title,
      status: deal.status,
      follow_up_at: due,
      follow_up_note: deal.follow_up_note,
    };
  }
  const task = row as TasksTable;
  return {
    ...base,
    title: task.title,
    due_at: due,
    assignee: task.assignee,
    contact_id: task.contact_id,
    deal_id: task.deal_id,
  };
}

/** How one source continues after the cursor: kinds sort by handle within the same due time. */
function afterFor(kind: Kind, cursor: { value: string | number | null; id: string } | null): After {
  if (!cursor) return { op: 'all' };
  const due = String(cursor.value);
  const [cursorKind, cursorId] = cursor.id.split('/') as [Kind, string];
  if (kind === cursorKind) return { op: 'tuple', due, id: cursorId };
  return { op: kind > cursorKind ? '>=' : '>', due };
}

export const listReminders = defineOperation({
  name: 'reminders.list',
  summary:
    'What is due: contact and deal follow-ups and open tasks due now or overdue (?days=N looks ahead).',
  description:
    'Oldest first; each line starts with the record handle and carries due, overdue and the follow-up fields. ' +
    'Clear a follow-up by PATCHing follow_up_at to null; complete a task with tasks.complete.',
  http: { method: 'GET', path: '/reminders' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({
    days: z.coerce.number().int().min(0).max(366).default(0),
    limit: z.coerce.number().int().min(1, 'limit is at least 1').default(DEFAULT_LIMIT),
    cursor: z.string().max(2000).optional(),
  }),
  async handler(ctx, input) {
    const warnings: Warning[] = [];
    let limit = input.limit;
    if (limit > MAX_LIMIT) {
      warnings.push({
        code: 'limit_clamped',
        message: `limit ${limit} is above the maximum; returned ${MAX_LIMIT}`,
      });
      limit = MAX_LIMIT;
    }
    const horizon = new Date(Date.parse(ctx.now) + input.days * 24 * 3600_000).toISOString();
    const fingerprint = queryFingerprint({ reminders: input.days });
    const cursor = input.cursor ? decodeCursor(input.cursor, fingerprint) : null;
    const items: Reminder[] = [];
    for (const kind of Object.keys(SOURCES) as Kind[]) {
      const rows = await dueRows(ctx.ws, SOURCES[kind], horizon, afterFor(kind, cursor), limit + 1);
      items.push(...rows.map((row) => reminder(kind, row, ctx.now)));
    }
    items.sort((a, b) => (a.due === b.due ? (a.handle < b.handle ? -1 : 1) : a.due < b.due ? -1 : 1));
    const more = items.length > limit;
    const page = items.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = more && last ? encodeCursor({ value: last.due, id: last.handle }, fingerprint) : null;
    return { data: page, nextCursor, warnings, meta: [`# due by ${horizon}`] };
  },
});
