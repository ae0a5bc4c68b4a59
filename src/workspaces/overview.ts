import { planUsage, type UsageLine } from '../plans/usage.js';
import type { Services } from '../services.js';
import { scopeTo } from '../store/scoped.js';
import {
  activitiesByDay,
  changesByDay,
  type DayCount,
  pipelineByStage,
  type RecordCounts,
  recordCounts,
  type StageValue,
} from './overview.repository.js';

export type { DayCount, RecordCounts, StageValue, UsageLine };

/** What the console's overview shows of a workspace: its records, pipeline and recent work. */
export interface WorkspaceOverview {
  counts: RecordCounts;
  pipeline: StageValue[];
  /** Activities logged per day in the window. */
  activities: DayCount[];
  /** Audited changes per day since the window's start. */
  changes: DayCount[];
}

/** Reads the overview's aggregates of one workspace, through its workspace-scoped handle. */
export async function workspaceOverview(
  services: Services,
  workspaceId: string,
  window: { since: string; until: string },
): Promise<WorkspaceOverview> {
  const ws = scopeTo(services.store.db, services.store.dialect, workspaceId);
  const [counts, pipeline, activities, changes] = await Promise.all([
    recordCounts(ws),
    pipelineByStage(ws),
    activitiesByDay(ws, window.since, window.until),
    changesByDay(ws, window.since),
  ]);
  return { counts, pipeline, activities, changes };
}

/** The plan's limits and what the workspace (and the person, for per-person caps) uses of them. */
export async function workspaceUsage(
  services: Services,
  workspace: { id: string; plan: string },
  principalId: string,
  now: string,
): Promise<UsageLine[]> {
  return planUsage(services.store.db, services, workspace, principalId, now);
}
