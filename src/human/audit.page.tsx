import { workspaceAgents } from '../agents/roster.js';
import { listAuditOperation } from '../audit/audit.operations.js';
import type { AppError } from '../errors.js';
import { consoleOperations, operations } from '../operations/registry.js';
import type { Services } from '../services.js';
import { listMembersOperation } from '../workspaces/members.operations.js';
import { frameOf, type HumanContext, html, performOptions } from './context.js';
import { formatValue, truncate } from './format.js';
import { ErrorNotice, type Frame, Layout, PageHead, Time } from './layout.js';
import { loadNames, type Names } from './names.js';
import { listData, perform } from './perform.js';
import { RecordRef } from './record-ref.js';
import type { Session } from './session.js';

type AuditRecord = Record<string, unknown>;

export interface AuditFilters {
  actor: string;
  operation: string;
  since: string;
  target: string;
}

const PAGE_SIZE = 50;

/** GET /human/audit — audit.list with the person's filters; one page, older pages by cursor. */
export async function auditPage(c: HumanContext, services: Services, session: Session) {
  const filters: AuditFilters = {
    actor: (c.req.query('actor') ?? '').trim(),
    operation: (c.req.query('operation') ?? '').trim(),
    since: (c.req.query('since') ?? '').trim(),
    target: (c.req.query('target') ?? '').trim(),
  };
  const cursor = c.req.query('cursor');
  const input: Record<string, unknown> = { limit: PAGE_SIZE };
  if (filters.actor) input.actor = filters.actor;
  if (filters.operation) input.operation = filters.operation;
  if (filters.target) input.target = filters.target;
  if (filters.since)
    input.since = /^\d{4}-\d{2}-\d{2}$/.test(filters.since) ? `${filters.since}T00:00:00Z` : filters.since;
  if (cursor) input.cursor = cursor;
  const listed = await perform(services, session, listAuditOperation, input, performOptions(c, services));
  const rows = listData(listed);
  const [agents, members, frame] = await Promise.all([
    workspaceAgents(services, session.workspace.id),
    perform(
      services,
      session,
      listMembersOperation,
      { workspace_id: session.workspace.id },
      performOptions(c, services),
    ),
    frameOf(c, services),
  ]);
  const people = listData(members).filter((record) => String(record.handle ?? '').startsWith('user/'));
  const names = await loadNames(services, session, [
    ...rows.flatMap((row) => [String(row.actor_id ?? ''), row.target ? String(row.target) : null]),
    ...people.map((person) => String(person.id ?? '')),
  ]);
  const actors = [
    ...agents.map((agent) => ({ id: agent.id, label: `${agent.name} (agent)` })),
    ...people.map((person) => ({ id: String(person.id), label: names.label(String(person.id)) })),
  ];
  const nextCursor = listed.ok ? (listed.result.nextCursor ?? null) : null;
  const next = nextCursor
    ? `/human/audit?${new URLSearchParams({ ...nonEmpty(filters), cursor: nextCursor })}`
    : null;
  return html(
    c,
    <AuditLog
      frame={frame}
      filters={filters}
      actors={actors}
      rows={rows}
      names={names}
      error={!listed.ok && 'error' in listed ? listed.error : null}
      next={next}
    />,
    !listed.ok && 'error' in listed ? listed.error.status : 200,
  );
}

function nonEmpty(filters: AuditFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== ''));
}

const OPERATION_NAMES = [...operations, ...consoleOperations].map((operation) => operation.name).sort();

function AuditLog(props: {
  frame: Frame;
  filters: AuditFilters;
  actors: { id: string; label: string }[];
  rows: AuditRecord[];
  names: Names;
  error: AppError | null;
  next: string | null;
}) {
  const { filters } = props;
  return (
    <Layout title="Audit log" frame={props.frame} active="audit">
      <PageHead
        title="Audit log"
        lead="Every change in this workspace: who made it, through which operation, and what the policy decided."
      />
      <form method="get" action="/human/audit" class="card">
        <div class="inline">
          <div class="field">
            <label for="actor">Actor</label>
            <select id="actor" name="actor">
              <option value="">Anyone</option>
              {props.actors.map((actor) => (
                <option value={actor.id} selected={actor.id === filters.actor}>
                  {actor.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="operation">Operation</label>
            <input
              id="operation"
              name="operation"
              type="text"
              list="operation-names"
              placeholder="e.g. contacts.* or deals.update"
              value={filters.operation}
            />
            <datalist id="operation-names">
              {OPERATION_NAMES.map((name) => (
                <option value={name} />
              ))}
            </datalist>
          </div>
          <div class="field">
            <label for="since">Since</label>
            <input id="since" name="since" type="date" value={filters.since} />
          </div>
          <div class="field">
            <label for="target">Record</label>
            <input
              id="target"
              name="target"
              type="text"
              placeholder="e.g. contact/c_…"
              value={filters.target}
            />
          </div>
          <div class="field">
            <button type="submit">Filter</button> <a href="/human/audit">Clear</a>
          </div>
        </div>
      </form>
      <ErrorNotice error={props.error} title="These filters were not accepted" />
      <section class="card" aria-labelledby="log-h">
        <h2 id="log-h">Entries, newest first</h2>
        {props.rows.length === 0 ? (
          <p class="muted">No entries match.</p>
        ) : (
          <div class="table-wrap fits">
            <table class="stack audit">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Operation and policy</th>
                  <th scope="col">Record and changes</th>
                </tr>
              </thead>
              <tbody>
                {props.rows.map((row) => (
                  <AuditRow row={row} names={props.names} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.next ? (
          <p class="actions">
            <a class="button secondary" href={props.next}>
              Older entries
            </a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}

function AuditRow(props: { row: AuditRecord; names: Names }) {
  const { row } = props;
  const decision = String(row.policy_decision ?? '');
  return (
    <tr>
      <td class="when">
        <Time at={String(row.at ?? '')} />
        <div class="small mono muted" title="request id">
          {String(row.request_id ?? '')}
        </div>
      </td>
      <td data-label="By">
        {props.names.label(String(row.actor_id ?? ''))}
        {row.token_name ? <div class="small muted">via {String(row.token_name)}</div> : null}
      </td>
      <td data-label="Operation">
        <code>{String(row.operation ?? '')}</code>
        <div class="policy">
          <span class={`badge ${decision === 'allow' ? 'ok' : decision === 'deny' ? 'bad' : 'warn'}`}>
            {decision}
          </span>{' '}
          <span class="small mono">{String(row.reason_code ?? '')}</span>
        </div>
      </td>
      <td class="record" data-label="Record">
        {row.target ? <RecordRef handle={String(row.target)} names={props.names} /> : null}
        <Changes changes={row.changes} />
        {row.reason ? <div class="small">Reason: {truncate(String(row.reason), 300)}</div> : null}
      </td>
    </tr>
  );
}

export function Changes(props: { changes: unknown; inline?: boolean }) {
  const changes = props.changes as Record<string, { before: unknown; after: unknown }> | null | undefined;
  if (!changes || typeof changes !== 'object') return null;
  const entries = Object.entries(changes);
  if (entries.length === 0) return null;
  const shown = (value: unknown) => truncate(formatValue(value), 80);
  return (
    <ul class={props.inline ? 'changes inline' : 'changes'}>
      {entries.slice(0, 8).map(([field, change]) => (
        <li>
          <span class="mono muted">{field}</span>{' '}
          <span class="value">
            {change?.before === null || change?.before === undefined ? (
              shown(change?.after)
            ) : (
              <>
                {shown(change.before)} → {shown(change?.after)}
              </>
            )}
          </span>
        </li>
      ))}
      {entries.length > 8 ? <li class="muted">and {entries.length - 8} more fields</li> : null}
    </ul>
  );
}
