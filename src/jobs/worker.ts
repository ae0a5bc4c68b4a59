import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createPoller } from '../poller.js';
import type { Services } from '../services.js';
import type { JobRunner } from './job-runner.js';
import { claimJob, runnableJobs } from './jobs.repository.js';
import { runJob } from './run-job.js';

export type { JobRunner } from './job-runner.js';

/**
 * Runs queued operations in the background. Any number of processes may run one against the
 * same database: a job is claimed with a conditional update, its lock renewed with each chunk,
 * and a job whose process died is taken over once its lock expires.
 */
export function createJobRunner(services: Services, intervalMs = 500): JobRunner {
  const worker = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const poller = createPoller(intervalMs, services.logger, 'job runner', async () => {
    const now = services.clock.now();
    const jobs = await runnableJobs(services.store.db, now.toISOString(), 5);
    for (const job of jobs) {
      if (poller.stopped) return false;
      const until = new Date(now.getTime() + services.config.jobLockSeconds * 1000).toISOString();
      if (await claimJob(services.store.db, job, worker, now.toISOString(), until)) {
        await runJob(services, { ...job, status: 'running', locked_by: worker, locked_until: until }, worker);
      }
    }
    return false;
  });
  return { wake: poller.wake, start: poller.start, stop: poller.stop };
}
