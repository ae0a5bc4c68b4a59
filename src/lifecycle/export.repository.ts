import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Everything held about one contact, row by row, for contacts.export_person. */
export async function personRows(db: Db, workspaceId: string, contactId: string) {
  const target = `contact/${contactId}`;
  const inWorkspace = { workspace_id: workspaceId };
  const audit = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('workspace_id', '=', inWorkspace.workspace_id)
    .where('target', '=', target)
    .orderBy('seq')
    .execute();
  const activities = await db
    .selectFrom('activities')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('occurred_at')
    .execute();
  const tasks = await db
    .selectFrom('tasks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .execute();
  const deals = await db
    .selectFrom('deals')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .execute();
  const idPattern = `%${contactId}%`;
  const proposals = await db
    .selectFrom('proposals')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        eb('target', '=', target),
        sql<boolean>`${sql.ref('input')} like ${idPattern}`,
        sql<boolean>`${sql.ref('result')} like ${idPattern}`,
      ]),
    )
    .orderBy('created_at')
    .execute();
  const events = await db
    .selectFrom('events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('target', '=', target)
    .orderBy('seq')
    .execute();
  const eventIds = events.map((event) => event.id);
  const deliveries = [];
  for (let i = 0; i < eventIds.length; i += 500) {
    deliveries.push(
      ...(await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('event_id', 'in', eventIds.slice(i, i + 500))
        .orderBy('created_at')
        .execute()),
    );
  }
  return { audit, activities, tasks, deals, proposals, events, deliveries };
}
