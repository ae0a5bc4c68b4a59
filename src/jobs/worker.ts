import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Services } from '../services.js';
import { claimJob, runnableJobs } from './jobs.repository.js';
import { runJob } from './run-job.js';

export interface JobRunner {
  /** Looks for work now (after a job was queued) instead of at the next tick. */
  wake(): void;
  start(): void;
  /** Stops taking work and waits for the job in hand to reach a saved point. */
  stop(): Promise<void>;
}

/**
 * Runs queued operations in the background. Any number of processes may run one against the
 * same database: a job is claimed with a conditional update, its lock renewed with each chunk,
 * and a job whose process died is taken over once its lock expires.
 */
export function createJobRunner(services: Services, intervalMs = 500): JobRunner {
  const worker = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let again = false;
  let stopped = true;

  const tick = async () => {
    do {
      again = false;
      const now = services.clock.now();
      const jobs = await runnableJobs(services.store.db, now.toISOString(), 5);
      for (const job of jobs) {
        if (stopped) return;
        const until = new Date(now.getTime() + services.config.jobLockSeconds * 1000).toISOString();
        if (await claimJob(services.store.db, job, worker, now.toISOString(), until)) {
          await runJob(
            services,
            { ...job, status: 'running', locked_by: worker, locked_until: until },
            worker,
          );
        }
      }
    } while (again && !stopped);
  };
  const poke = () => {
    if (stopped) return;
    if (current) {
      again = true;
      return;
    }
    current = tick()
      .catch((error: unknown) => services.logger.error({ err: error }, 'job runner tick failed'))
      .finally(() => {
        current = undefined;
      });
  };
  return {
    wake: poke,
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(poke, intervalMs);
      timer.unref();
      poke();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
