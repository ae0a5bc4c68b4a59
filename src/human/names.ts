import { workspaceAgents } from '../agents/roster.js';
import { peopleByIds } from '../people/person.js';
import type { Services } from '../services.js';
import type { Session } from './session.js';

/** Readable names for the agents and people that appear in a page (actors, proposers, deciders). */
export interface Names {
  /** `agent/agt_…`, `user/usr_…`, `agt_…` or `usr_…` → "sophie_outreach_agent (agent)". */
  label(handleOrId: string | null | undefined): string;
}

const bareId = (value: string) => value.replace(/^(agent|user)\//, '');

export async function loadNames(
  services: Services,
  session: Session,
  ids: Iterable<string | null | undefined>,
): Promise<Names> {
  const known = new Map<string, string>();
  for (const agent of await workspaceAgents(services, session.workspace.id))
    known.set(agent.id, `${agent.name} (agent)`);
  const userIds = [
    ...new Set(
      [...ids]
        .filter((id): id is string => !!id)
        .map(bareId)
        .filter((id) => id.startsWith('usr_')),
    ),
  ];
  for (const user of await peopleByIds(services, userIds)) {
    known.set(user.id, user.name ? `${user.name} <${user.email}>` : user.email);
  }
  return {
    label(handleOrId) {
      if (!handleOrId) return '—';
      if (handleOrId === 'system') return 'agentcrm';
      return known.get(bareId(handleOrId)) ?? handleOrId;
    },
  };
}
