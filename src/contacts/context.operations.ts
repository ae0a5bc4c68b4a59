import { z } from 'zod';
import { recentActivities } from '../activities/activities.repository.js';
import { toActivityRecord } from '../activities/activity.js';
import { companyKind } from '../companies/company.js';
import { toDealRecord } from '../deals/deal.js';
import { openDealsOf } from '../deals/deals.repository.js';
import { defineOperation } from '../operations/define.js';
import { idRef } from '../records/fields.js';
import { findRecord } from '../records/records.repository.js';
import { withRefs } from '../records/refs.js';
import { missing } from '../records/write.js';
import { toTaskRecord } from '../tasks/task.js';
import { openTasksFor } from '../tasks/tasks.repository.js';
import { contactKind, toContactRecord } from './contact.js';
import { findContact } from './contacts.repository.js';
import { compact, fitBrief, type Item, type Section } from './context.js';

const more = (rows: unknown[], limit: number, where: string) => (rows.length > limit ? where : null);

export const getContactContext = defineOperation({
  name: 'contacts.get_context',
  summary:
    'A compact brief on a contact for a prompt: company, due follow-ups, open deals and tasks, last activities.',
  description:
    'max_items caps each section (default 5); max_chars caps the text answer (default 4000): the least important ' +
    'items (oldest activities, then later tasks and deals) are left out first and counted in a "# truncated" line. ' +
    'The JSON answer carries the same items. Each section says where to fetch more.',
  http: { method: 'GET', path: '/contacts/:contact_id/context' },
  scope: 'read',
  mutating: false,
  input: z.strictObject({
    contact_id: idRef('c'),
    max_items: z.coerce.number().int().min(1).max(50).default(5),
    max_chars: z.coerce.number().int().min(300).max(50_000).default(4000),
  }),
  async handler(ctx, { contact_id, max_items: maxItems, max_chars: maxChars }) {
    const row = await findContact(ctx.ws, contact_id);
    if (!row) throw await missing(ctx, contactKind, contact_id);
    const [contact] = await withRefs(ctx.ws, 'contacts', [row], toContactRecord);
    const companyRow = row.company_id
      ? await findRecord(ctx.ws, 'companies', row.company_id, 'any')
      : undefined;
    const deals = await openDealsOf(ctx.ws, row.id, maxItems + 1);
    const dealIds = deals.slice(0, maxItems).map((deal) => deal.id);
    const tasks = await openTasksFor(ctx.ws, row.id, dealIds, maxItems + 1);
    const activities = await recentActivities(ctx.ws, row.id, maxItems + 1);

    const due: Item[] = [];
    const dueItem = (handle: string, at: string | null, fields: Record<string, unknown>) => {
      if (at && at <= ctx.now) due.push(compact({ handle, due: at, overdue: at < ctx.now, ...fields }));
    };
    dueItem(contact!.handle, row.follow_up_at, { note: row.follow_up_note });
    for (const deal of deals.slice(0, maxItems)) {
      dueItem(`deal/${deal.id}`, deal.follow_up_at, { title: deal.title, note: deal.follow_up_note });
    }
    for (const task of tasks.slice(0, maxItems))
      dueItem(`task/${task.id}`, task.due_at, { title: task.title });
    due.sort((a, b) => (String(a.due) < String(b.due) ? -1 : 1));

    const head = [compact(contact!, ['version'])];
    if (companyRow) {
      const company = compact(companyKind.toRecord(companyRow));
      head.push(companyRow.deleted_at ? { ...company, deleted_at: companyRow.deleted_at } : company);
    }
    const sections: Section[] = [
      { key: 'due', title: 'due follow-ups', items: due.slice(0, maxItems), more: null },
      {
        key: 'open_deals',
        title: 'open deals',
        items: deals.slice(0, maxItems).map((deal) => compact(toDealRecord(deal))),
        more: more(deals, maxItems, `GET /deals?contact_id=${row.id}&status=open`),
      },
      {
        key: 'open_tasks',
        title: 'open tasks',
        items: tasks.slice(0, maxItems).map((task) => compact(toTaskRecord(task))),
        more: more(tasks, maxItems, `GET /tasks?contact_id=${row.id}&status=open`),
      },
      {
        key: 'recent_activities',
        title: 'last activities',
        items: activities.slice(0, maxItems).map((activity) => compact(toActivityRecord(activity))),
        more: more(activities, maxItems, `GET /contacts/${row.id}/activities`),
      },
    ];
    const { lines, omitted } = fitBrief(
      head,
      sections,
      ['recent_activities', 'open_tasks', 'open_deals', 'due'],
      maxChars,
    );
    const data = {
      handle: contact!.handle,
      id: contact!.id,
      contact: head[0],
      company: companyRow ? head[1] : null,
      ...Object.fromEntries(sections.map((section) => [section.key, section.items])),
      more: Object.fromEntries(sections.filter((s) => s.more).map((section) => [section.key, section.more])),
      omitted,
    };
    return { data, text: lines };
  },
});
