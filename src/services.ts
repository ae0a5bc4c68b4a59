import type { Logger } from 'pino';
import type { UsageMeter } from './billing/meter.js';
import type { Config } from './config.js';
import type { Clock, IdSource } from './ids.js';
import type { JobRunner } from './jobs/job-runner.js';
import type { Mailer } from './mail/types.js';
import type { Metrics } from './metrics/types.js';
import type { ExecutorSetup } from './operations/define.js';
import type { Keyring } from './secrets/types.js';
import type { Store } from './store/types.js';
import type { HostResolver, WebhookDispatcher } from './webhooks/types.js';

/** Everything an operation may use from the outside world; built once in createApp. */
export interface Services {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly logger: Logger;
  readonly mailer: Mailer;
  /** The keys stored secrets are sealed under (docs/secrets.md). */
  readonly keyring: Keyring;
  /** Background operations (batches); started by the server, woken when work is queued. */
  readonly jobs: JobRunner;
  /** Request metering per workspace and month (buffered; see billing/meter.ts). */
  readonly meter: UsageMeter;
  /** Sends queued webhook deliveries; started by the server, woken when a change queues some. */
  readonly webhooks: WebhookDispatcher;
  /** How webhook deliveries and pings resolve host names (the system resolver outside tests). */
  readonly resolveHost: HostResolver;
  /** Prometheus metrics of this app (a registry of its own). */
  readonly metrics: Metrics;
  /**
   * Operations by name and the registered deciders, for the executor (src/operations/): the job
   * runner and proposal approval find an operation here, not by importing the registry.
   */
  readonly executor: ExecutorSetup;
  /** Set when the server is draining (SIGTERM): /readyz answers 503, requests are still served. */
  readonly readiness: { draining: boolean };
}
