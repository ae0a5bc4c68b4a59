import { listAuditOperation } from '../audit/audit.operations.js';
import type { Services } from '../services.js';
import { Changes } from './audit.page.js';
import { frameOf, type HumanContext, html, performOptions } from './context.js';
import { describeOperation } from './format.js';
import { Layout, PageHead, Time } from './layout.js';
import { loadNames } from './names.js';
import { listData, perform } from './perform.js';
import { RecordRef } from './record-ref.js';
import type { Session } from './session.js';

/** GET /human/activity — the change feed: what happened in the last 24 hours, newest first. */
export async function activityPage(c: HumanContext, services: Services, session: Session) {
  const since = new Date(services.clock.now().getTime() - 86_400_000).toISOString();
  const listed = await perform(
    services,
    session,
    listAuditOperation,
    { since, limit: 200 },
    performOptions(c, services),
  );
  const rows = listData(listed);
  const names = await loadNames(
    services,
    session,
    rows.flatMap((row) => [String(row.actor_id ?? ''), row.target ? String(row.target) : null]),
  );
  const frame = await frameOf(c, services);
  const more = listed.ok && listed.result.nextCursor;
  return html(
    c,
    <Layout title="Activity" frame={frame} active="activity">
      <PageHead
        title="Last 24 hours"
        lead="The change feed: every change made in this workspace in the last day."
      />
      <section class="card feed" aria-labelledby="feed-h">
        <h2 id="feed-h" class="visually-hidden">
          Changes
        </h2>
        {rows.length === 0 ? (
          <p class="muted">No changes in the last 24 hours.</p>
        ) : (
          <ul class="plain">
            {rows.map((row) => (
              <li>
                <Time at={String(row.at ?? '')} /> <strong>{names.label(String(row.actor_id ?? ''))}</strong>{' '}
                {describeOperation(String(row.operation ?? '')).toLowerCase()}{' '}
                {row.target ? <RecordRef handle={String(row.target)} names={names} /> : null}
                {row.policy_decision && row.policy_decision !== 'allow' ? (
                  <>
                    {' '}
                    <span class="badge warn">{String(row.policy_decision)}</span>
                  </>
                ) : null}
                <Changes changes={row.changes} inline />
              </li>
            ))}
          </ul>
        )}
        {more ? (
          <p class="small">
            More than 200 changes: see the <a href="/human/audit">audit log</a> for the rest.
          </p>
        ) : null}
      </section>
    </Layout>,
  );
}
