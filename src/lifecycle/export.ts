import type { AuditLogTable, EventsTable, WebhookDeliveriesTable } from '../store/schema.js';
import { eventBody } from '../webhooks/webhook.js';
import type { personRows } from './export.repository.js';

type Rows = Awaited<ReturnType<typeof personRows>>;

const parsed = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Parses the JSON text columns of a stored row, so the export reads as data. */
function plain<T extends object>(row: T, json: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = json.includes(key) && typeof value === 'string' ? parsed(value) : value;
  }
  delete out.workspace_id;
  return out;
}

function auditEntry(row: AuditLogTable) {
  const { seq: _seq, prev_hash: _prev, hash: _hash, changes_digest: _digest, ...rest } = row;
  return plain(rest, ['changes', 'reverts']);
}

function delivery(row: WebhookDeliveriesTable, event: EventsTable | undefined) {
  const { locked_by: _by, locked_until: _until, ...rest } = row;
  return { ...plain(rest, []), sent: event ? parsed(eventBody(event)) : null };
}

/** The export document: what a person may ask to see of what the workspace holds about them. */
export function exportDocument(
  record: Record<string, unknown> & { handle: string },
  rows: Rows,
  now: string,
) {
  const events = new Map(rows.events.map((event) => [event.id, event]));
  const document = {
    person: record.handle,
    exported_at: now,
    record,
    history: rows.audit.map(auditEntry),
    activities: rows.activities.map((row) => plain(row, [])),
    tasks: rows.tasks.map((row) => plain(row, ['tags', 'custom'])),
    deals: rows.deals.map((row) => plain(row, ['tags', 'custom'])),
    proposals: rows.proposals.map((row) => plain(row, ['input', 'diff', 'result', 'edits'])),
    events: rows.events.map((row) => plain(row, ['changes'])),
    webhook_deliveries: rows.deliveries.map((row) => delivery(row, events.get(row.event_id))),
  };
  return {
    ...document,
    counts: {
      history: document.history.length,
      activities: document.activities.length,
      tasks: document.tasks.length,
      deals: document.deals.length,
      proposals: document.proposals.length,
      events: document.events.length,
      webhook_deliveries: document.webhook_deliveries.length,
    },
  };
}
