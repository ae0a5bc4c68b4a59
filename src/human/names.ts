import { workspaceAgents } from '../agents/roster.js';
import { peopleByIds } from '../people/person.js';
import { recordNames } from '../records/names.js';
import type { Services } from '../services.js';
import type { Session } from './session.js';

/** Readable names for the agents, people and records that appear in a page (actors, proposers, targets). */
export interface Names {
  /**
   * `agent/agt_…`, `user/usr_…`, `agt_…` or `usr_…` → "sophie_outreach_agent (agent)";
   * a record's handle `contact/c_…` → "Ada Lovelace (contact)"; anything unknown as given.
   */
  label(handleOrId: string | null | undefined): string;
  /** A record's name alone ("Ada Lovelace"), or null when it has none (or is not a record). */
  record(handle: string | null | undefined): string | null;
}

const bareId = (value: string) => value.replace(/^(agent|user)\//, '');

export async function loadNames(
  services: Services,
  session: Session,
  ids: Iterable<string | null | undefined>,
): Promise<Names> {
  const list = [...ids].filter((id): id is string => !!id);
  const known = new Map<string, string>();
  for (const agent of await workspaceAgents(services, session.workspace.id))
    known.set(agent.id, `${agent.name} (agent)`);
  const userIds = [...new Set(list.map(bareId).filter((id) => id.startsWith('usr_')))];
  for (const user of await peopleByIds(services, userIds)) {
    known.set(user.id, user.name ? `${user.name} <${user.email}>` : user.email);
  }
  // Records: one query per kind for the whole page.
  const records = await recordNames(services, session.workspace.id, list);
  return {
    label(handleOrId) {
      if (!handleOrId) return '—';
      if (handleOrId === 'system') return 'agentcrm';
      const name = records.get(handleOrId);
      if (name) return `${name} (${handleOrId.slice(0, handleOrId.indexOf('/'))})`;
      return known.get(bareId(handleOrId)) ?? handleOrId;
    },
    record(handle) {
      return handle ? (records.get(handle) ?? null) : null;
    },
  };
}
