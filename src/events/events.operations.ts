import { z } from 'zod';
import { defineOperation } from '../operations/define.js';
import { lastSeq, listEvents } from './events.repository.js';

const cursor = z
  .string()
  .regex(
    /^\d{1,15}$/,
    'the cursor from the previous answer (next_cursor / "# next:"), or 0 for the beginning',
  )
  .transform(Number);

export const listEventsOperation = defineOperation({
  name: 'events.list',
  summary: 'The change feed: every change in the workspace in order, after a resumable cursor (since=).',
  description:
    'Types: <kind>.created|updated|deleted|restored (contact, company, deal, task, activity), proposal.created|applied|' +
    'rejected (changes.decision_note is the reason)|stale|failed|edited|expired, policy.updated, and other operations by name. Start with since=0 (or omit it), then pass ' +
    'next_cursor back as since=; the answer always carries a cursor, even when empty, so you can poll with it.',
  http: { method: 'GET', path: '/events' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({
    since: cursor.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    types: z
      .string()
      .max(500)
      .transform((value) =>
        value
          .split(',')
          .map((type) => type.trim())
          .filter(Boolean),
      )
      .optional(),
  }),
  async handler(ctx, input) {
    // Everything up to the ceiling has committed (see appendEvent), so a full scan below it can
    // move the cursor to it even when a type filter matched nothing.
    const ceiling = await lastSeq(ctx.ws);
    const rows = await listEvents(ctx.ws, {
      after: input.since ?? 0,
      upTo: ceiling,
      limit: input.limit,
      types: input.types,
    });
    const last = rows.length === input.limit ? Number(rows.at(-1)!.seq) : ceiling;
    return {
      data: rows.map((row) => ({
        handle: `event/${row.seq}`,
        id: row.id,
        seq: Number(row.seq),
        type: row.type,
        target: row.target,
        operation: row.operation,
        actor: row.actor,
        changes: row.changes ? JSON.parse(row.changes) : null,
        at: row.at,
        request_id: row.request_id,
      })),
      nextCursor: String(last),
      meta: [rows.length === input.limit ? '# more: true' : '# more: false'],
    };
  },
});
