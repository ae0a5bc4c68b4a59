import type { Transaction } from 'kysely';
import { z } from 'zod';
import { withAuditPurge } from '../audit/purge.js';
import { requireStepUp } from '../auth/stepup.js';
import { toContactRecord } from '../contacts/contact.js';
import { AppError, notFound } from '../errors.js';
import { systemDb } from '../operations/context.js';
import { defineOperation } from '../operations/define.js';
import { isCapped, releasePlanUsage } from '../plans/usage.js';
import { idRef } from '../records/fields.js';
import type { Database } from '../store/schema.js';
import { collectPersonalValues, personWords, vocabularyKeys } from './erase.js';
import {
  auditChangesOf,
  blankActivities,
  blankAuditChanges,
  blankContact,
  blankEventsAndDeliveries,
  blankProposals,
  compactSqliteSearch,
  deleteFieldWritersOf,
  findContactAnyState,
  pruneSearchWords,
  replaceStoredAnswers,
  replaceValues,
} from './erase.repository.js';
import { exportDocument } from './export.js';
import { personRows } from './export.repository.js';
import { type SweepReport, sweepOnce } from './sweep.js';

const contactId = idRef('c');

function sweepLines(report: SweepReport): string[] {
  const parts = [
    `contacts=${report.records.contacts}`,
    `companies=${report.records.companies}`,
    `deals=${report.records.deals}`,
    `owned_removed=${report.owned_removed}`,
    `references_cleared=${report.references_cleared}`,
    `events=${report.events}`,
    `webhook_deliveries=${report.webhook_deliveries}`,
    `idempotency_keys=${report.idempotency_keys}`,
    `oauth_codes=${report.oauth_codes}`,
  ];
  return [
    `sweep ${parts.join(' ')} more=${report.more}`,
    ...report.purged.map((handle) => `purged ${handle}`),
  ];
}

export const sweepOperation = defineOperation({
  name: 'lifecycle.sweep',
  summary: 'Run one pass of the retention sweeper over this workspace now, and see what it removed (admin).',
  description:
    'Purges soft-deleted contacts, companies and deals past their 30-day retention (each leaves an audit row), ' +
    'change-feed events and finished webhook deliveries older than EVENTS_RETENTION_DAYS, expired idempotency ' +
    'keys and OAuth codes; at most RETENTION_SWEEP_BATCH rows per table. more=true means call it again. The ' +
    'server runs the same pass over every workspace every RETENTION_SWEEP_SECONDS (docs/lifecycle.md).',
  http: { method: 'POST', path: '/admin/retention/sweep' },
  scope: 'admin',
  mutating: true,
  input: z.strictObject({}),
  async handler(ctx) {
    const report = await sweepOnce(ctx.services, {
      workspaceId: ctx.ws.workspaceId,
      trx: systemDb(ctx).isTransaction ? (systemDb(ctx) as Transaction<Database>) : undefined,
      requestId: ctx.requestId,
    });
    ctx.audit({ target: null, changes: null, event: 'lifecycle.swept' });
    return {
      data: report,
      text: sweepLines(report),
      meta: report.more ? ['# more: call it again to continue'] : ['# nothing more past retention'],
    };
  },
});

export const eraseContact = defineOperation({
  name: 'contacts.erase',
  summary:
    'Erase a person at their request: their personal values are removed everywhere; a tombstone stays (admin; step-up).',
  description:
    "Removes the contact's name, email, phone, title, notes, tags and custom values from the record, its history " +
    "(audit changes), change-feed events, webhook delivery logs, proposals, activities' notes, the search index and " +
    'stored idempotent answers. The row stays as a tombstone (id, workspace, timestamps, erased_at): counts, references ' +
    'and the audit chain stay intact, and reads of it answer 410 erased. Cannot be undone. The first call answers ' +
    'escalation_required and emails a code to your human; repeat with ?code=<code> (docs/lifecycle.md).',
  http: { method: 'POST', path: '/contacts/:contact_id/erase' },
  scope: 'admin',
  mutating: true,
  reasonCodes: ['erased', 'escalation_required'],
  input: z.strictObject({ contact_id: contactId, code: z.string().trim().max(20).optional() }),
  async handler(ctx, input) {
    const workspaceId = ctx.ws.workspaceId;
    const handle = `contact/${input.contact_id}`;
    const row = await findContactAnyState(systemDb(ctx), workspaceId, input.contact_id);
    if (!row) throw notFound(handle);
    if (row.erased_at) {
      throw new AppError(
        'erased',
        `${handle} was already erased at ${row.erased_at}; nothing personal is left to remove`,
        'nothing to do: its tombstone stays; GET /contacts/' +
          input.contact_id +
          '/export shows what is left',
      );
    }
    const confirm = await requireStepUp(ctx, {
      operation: 'contacts.erase',
      input,
      description: `erase ${handle} and every personal value held about it, for good`,
    });
    if (confirm) return confirm;

    const history = await auditChangesOf(systemDb(ctx), workspaceId, handle);
    const values = collectPersonalValues(row, history);
    const words = personWords(row, history);
    const wasLive = row.deleted_at === null;
    const version = await blankContact(systemDb(ctx), workspaceId, input.contact_id, ctx.now);
    if (wasLive && isCapped('contacts')) await releasePlanUsage(ctx, 'contacts');
    const { dialect } = ctx.services.store;
    const auditBlanked = await withAuditPurge(systemDb(ctx), dialect, () =>
      blankAuditChanges(systemDb(ctx), workspaceId, handle, values),
    );
    const feed = await blankEventsAndDeliveries(systemDb(ctx), workspaceId, handle, values);
    const proposals = await blankProposals(
      systemDb(ctx),
      workspaceId,
      handle,
      input.contact_id,
      values,
      ctx.now,
    );
    const activities = await blankActivities(systemDb(ctx), workspaceId, input.contact_id);
    const replaced = await replaceValues(systemDb(ctx), workspaceId, values);
    await deleteFieldWritersOf(systemDb(ctx), workspaceId, handle);
    const answers = await replaceStoredAnswers(systemDb(ctx), workspaceId, handle);
    const vocabulary = await pruneSearchWords(systemDb(ctx), workspaceId, words, vocabularyKeys);
    if (dialect.name === 'sqlite') await compactSqliteSearch(systemDb(ctx));
    const removed = {
      audit_changes: auditBlanked,
      events: feed.events,
      webhook_deliveries: feed.deliveries,
      proposals,
      activities,
      texts_replaced: replaced,
      stored_answers: answers,
      search_words: vocabulary,
    };
    // The erasure's own audit row names no value: only what it did.
    ctx.audit({
      target: handle,
      changes: { erased_at: [null, ctx.now] },
      version,
      event: 'contact.erased',
    });
    return {
      data: { handle, id: input.contact_id, erased_at: ctx.now, version, removed },
      text: [
        `${handle} erased_at=${ctx.now} version=${version}`,
        `# removed ${Object.entries(removed)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      ],
      meta: ['# erased: a tombstone without personal data stays; reads answer 410 erased'],
    };
  },
});

export const exportPerson = defineOperation({
  name: 'contacts.export_person',
  summary:
    'Everything held about a person, as JSON: the record, its history, activities, tasks, deals, proposals, events and webhook deliveries (admin).',
  description:
    'For a data subject access request. Works on deleted contacts too (and on an erased one: only its tombstone ' +
    'is left). Ask with Accept: application/json (or ?format=json) for the document; text shows a summary.',
  http: { method: 'GET', path: '/contacts/:contact_id/export' },
  scope: 'admin',
  mutating: false,
  input: z.strictObject({ contact_id: contactId }),
  async handler(ctx, input) {
    const workspaceId = ctx.ws.workspaceId;
    const row = await findContactAnyState(systemDb(ctx), workspaceId, input.contact_id);
    if (!row) throw notFound(`contact/${input.contact_id}`);
    const rows = await personRows(systemDb(ctx), workspaceId, input.contact_id);
    const document = exportDocument(
      { ...toContactRecord(row), deleted_at: row.deleted_at, erased_at: row.erased_at },
      rows,
      ctx.now,
    );
    const counts = Object.entries(document.counts)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return {
      data: document,
      text: [
        `export contact/${input.contact_id} ${counts}`,
        'hint: ask with Accept: application/json (or ?format=json) for the whole document',
      ],
    };
  },
});

export const lifecycleOperations = [sweepOperation, eraseContact, exportPerson];
