import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import type * as PromClient from 'prom-client';
import type { Clock } from '../ids.js';
import type { Store } from '../store/types.js';
import { backlog } from './metrics.repository.js';
import type { Metrics, Surface } from './types.js';

export type { Surface } from './types.js';

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Metrics switched off (neither METRICS_TOKEN nor METRICS_PORT): nothing is recorded. */
export const noMetrics: Metrics = {
  request() {},
  shed() {},
  inFlightFrom() {},
  signInFailure() {},
  webhookAttempt() {},
  render: async () => '',
  contentType: 'text/plain; version=0.0.4; charset=utf-8',
};

/**
 * A registry of its own per app (createApp may run many times in one process, as tests do), so
 * nothing lands in prom-client's global registry.
 */
export function createMetrics(deps: { store: Store; clock: Clock; logger: Logger }): Metrics {
  // Loaded here, only when metrics are on: importing prom-client costs about 70 ms of CPU, which
  // every start of every CLI command would otherwise pay.
  const { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } = createRequire(import.meta.url)(
    'prom-client',
  ) as typeof PromClient;
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'agentcrm_http_requests_total',
    help: 'HTTP requests answered, by operation (none outside the registry), surface and status; 499 = client went away',
    labelNames: ['operation', 'surface', 'status'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'agentcrm_http_request_duration_seconds',
    help: 'Time from the request reaching the app to its answer being ready (durable), by operation and surface',
    labelNames: ['operation', 'surface'] as const,
    buckets: SECONDS,
    registers,
  });
  // The labelled children are made once per label set and found through maps keyed by the label
  // values themselves (interned strings, a number): no key string is built per request.
  interface Series {
    timer: PromClient.Histogram.Internal<'operation' | 'surface'>;
    byStatus: Map<number, PromClient.Counter.Internal>;
  }
  const series = new Map<string, Map<Surface, Series>>();
  const seriesOf = (op: string, surface: Surface): Series => {
    let bySurface = series.get(op);
    if (!bySurface) {
      bySurface = new Map();
      series.set(op, bySurface);
    }
    let found = bySurface.get(surface);
    if (!found) {
      found = { timer: latency.labels(op, surface), byStatus: new Map() };
      bySurface.set(surface, found);
    }
    return found;
  };

  let readInFlight = () => 0;
  new Gauge({
    name: 'agentcrm_http_requests_in_flight',
    help: 'Requests being handled now (MAX_IN_FLIGHT caps it)',
    registers,
    collect() {
      this.set(readInFlight());
    },
  });
  const shed = new Counter({
    name: 'agentcrm_http_requests_shed_total',
    help: 'Requests answered 503 at capacity, by reason (in_flight, bodies)',
    labelNames: ['reason'] as const,
    registers,
  });

  new Gauge({
    name: 'agentcrm_db_pool_connections',
    help: 'PostgreSQL connections of this process by pool (main, counters) and state (open, idle, waiting callers, max)',
    labelNames: ['pool', 'state'] as const,
    registers,
    collect() {
      for (const use of deps.store.pools()) {
        this.set({ pool: use.pool, state: 'open' }, use.total);
        this.set({ pool: use.pool, state: 'idle' }, use.idle);
        this.set({ pool: use.pool, state: 'waiting' }, use.waiting);
        this.set({ pool: use.pool, state: 'max' }, use.max);
      }
    },
  });
  const flushes = new Histogram({
    name: 'agentcrm_sqlite_flush_duration_seconds',
    help: 'SQLite group commit: time of each WAL flush (fdatasync) that makes the commits before it durable',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers,
  });
  deps.store.onFlush((seconds) => flushes.observe(seconds));

  // One query per scrape feeds the backlog gauges; scrapes within a second share it.
  let last: { at: number; value: Promise<Awaited<ReturnType<typeof backlog>> | null> } | undefined;
  const current = () => {
    const now = deps.clock.now();
    // Real elapsed time, not the app's clock (which tests may hold still), decides freshness.
    if (!last || performance.now() - last.at > 1000) {
      last = {
        at: performance.now(),
        value: backlog(deps.store.db, now.toISOString()).catch((error: unknown) => {
          deps.logger.warn({ err: error }, 'metrics: reading the backlog failed');
          return null;
        }),
      };
    }
    return last.value;
  };
  const backlogGauge = (
    name: string,
    help: string,
    pick: (b: Awaited<ReturnType<typeof backlog>>) => number,
  ) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const value = await current();
        if (value) this.set(pick(value));
      },
    });
  backlogGauge(
    'agentcrm_jobs_queued',
    'Background jobs waiting for a worker (whole database)',
    (b) => b.jobsQueued,
  );
  backlogGauge('agentcrm_jobs_running', 'Background jobs being run (whole database)', (b) => b.jobsRunning);
  backlogGauge(
    'agentcrm_proposals_pending',
    'Proposals waiting for a decision (whole database)',
    (b) => b.proposalsPending,
  );
  backlogGauge(
    'agentcrm_webhook_deliveries_due',
    'Webhook deliveries due and not yet sent (whole database)',
    (b) => b.webhookDeliveriesDue,
  );
  backlogGauge(
    'agentcrm_webhook_oldest_due_seconds',
    'How long the oldest due webhook delivery has waited (0 when none is due)',
    (b) => (b.oldestDueAt ? Math.max(0, (deps.clock.now().getTime() - Date.parse(b.oldestDueAt)) / 1000) : 0),
  );

  const signIn = new Counter({
    name: 'agentcrm_sign_in_failures_total',
    help: 'Sign-in code checks refused, by reason (the error code: invalid_code, too_many_attempts, rate_limited)',
    labelNames: ['reason'] as const,
    registers,
  });
  const attempts = new Counter({
    name: 'agentcrm_webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts by outcome (succeeded; retrying and given_up are failures)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const lateness = new Histogram({
    name: 'agentcrm_webhook_delivery_lag_seconds',
    help: 'How long after it was due each webhook delivery attempt was made',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers,
  });

  return {
    request(operation, surface, status, seconds) {
      const op = operation ?? 'none';
      const found = seriesOf(op, surface);
      let counter = found.byStatus.get(status);
      if (!counter) {
        counter = requests.labels(op, surface, String(status));
        found.byStatus.set(status, counter);
      }
      counter.inc();
      found.timer.observe(seconds);
    },
    shed: (reason) => shed.labels(reason).inc(),
    inFlightFrom(read) {
      readInFlight = read;
    },
    signInFailure: (reason) => signIn.labels(reason).inc(),
    webhookAttempt(outcome, lateSeconds) {
      attempts.labels(outcome).inc();
      lateness.observe(Math.max(0, lateSeconds));
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
