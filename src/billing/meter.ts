import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../ids.js';
import type { Store } from '../store/connect.js';
import { scopeTo } from '../store/scoped.js';
import { monthOf } from './pricing.js';

export interface UsageMeter {
  /**
   * Counts requests against a workspace's month: one by default; a set-based batch commit counts
   * its items at once (and takes them back, with a negative amount, when it falls back).
   */
  count(workspaceId: string, amount?: number): void;
  /** Requests counted here and not yet written. */
  pending(workspaceId: string): number;
  flush(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Request metering without a write per request: counts add up in memory and are written every
 * few seconds as increments (`used = used + n`), so any number of processes add to the same
 * counter. A crash loses at most the last interval's counts — metering, not billing truth.
 */
export function createUsageMeter(store: Store, clock: Clock, logger: Logger, intervalMs = 2000): UsageMeter {
  let counts = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  const flush = async () => {
    if (counts.size === 0) return;
    const batch = counts;
    counts = new Map();
    const now = clock.now().toISOString();
    const resource = `requests:${monthOf(now)}`;
    for (const [workspaceId, n] of batch) {
      const ws = scopeTo(store.db, store.dialect, workspaceId);
      try {
        await ws
          .insertInto('usage_counters', { resource, used: n, updated_at: now })
          .onConflict((oc) =>
            oc
              .columns(['workspace_id', 'resource'])
              .doUpdateSet({ used: sql<number>`usage_counters.used + ${n}`, updated_at: now }),
          )
          .execute();
      } catch (error) {
        // A deleted workspace, or a database hiccup: metering is an estimate, so log and move on.
        logger.warn({ err: error, workspace_id: workspaceId, requests: n }, 'usage metering write failed');
      }
    }
  };
  return {
    count(workspaceId, amount = 1) {
      counts.set(workspaceId, (counts.get(workspaceId) ?? 0) + amount);
    },
    pending: (workspaceId) => counts.get(workspaceId) ?? 0,
    flush,
    start() {
      timer ??= setInterval(() => void flush(), intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await flush();
    },
  };
}
