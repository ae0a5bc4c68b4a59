import pino, { type Logger } from 'pino';
import { billingDeciders } from './billing/billing.deciders.js';
import { createUsageMeter } from './billing/meter.js';
import type { Config } from './config.js';
import { buildHttpApp } from './http/app.js';
import { type Clock, type IdSource, systemClock, timeOrderedIds } from './ids.js';
import { createJobRunner, type JobRunner } from './jobs/worker.js';
import { registerKinds } from './kinds.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { mountMcp } from './mcp/routes.js';
import { createMetrics, noMetrics } from './metrics/metrics.js';
import { mountOAuth } from './oauth/routes.js';
import { createExecutorSetup } from './operations/deciders.js';
import { operations } from './operations/registry.js';
import { policyDeciders } from './policy/policy.deciders.js';
import { createKeyring } from './secrets/keyring.js';
import type { Services } from './services.js';
import type { Store } from './store/connect.js';
import { createWebhookDispatcher, type WebhookDispatcher } from './webhooks/dispatcher.js';
import { type HostResolver, systemResolver } from './webhooks/send.js';

export interface AppOptions {
  config: Config;
  store: Store;
  clock?: Clock;
  ids?: IdSource;
  logger?: Logger;
  /** How often the background job runner looks for work (ms). */
  jobIntervalMs?: number;
  /** How often the webhook dispatcher looks for due deliveries (ms); local changes wake it at once. */
  webhookIntervalMs?: number;
  /** Defaults to SMTP (SMTP_URL) or the DATA_DIR/outbox/ folder. */
  mailer?: Mailer;
  /** How webhook deliveries resolve host names; the system resolver by default (tests give a table). */
  resolveHost?: HostResolver;
}

export interface App {
  readonly services: Services;
  /**
   * The web-standard handler: `app.fetch(request)`; tests call it in-process. The Node adapter
   * passes `env` (its `incoming` socket), which is where the client's address comes from.
   */
  fetch(request: Request, env?: unknown): Promise<Response>;
  /** In-process request helper, as Hono's `app.request`. */
  request(path: string, init?: RequestInit): Promise<Response>;
}

/** Builds the whole service from its parts; no globals, so tests can run many side by side. */
export function createApp(options: AppOptions): App {
  registerKinds();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: options.config.logLevel });
  const partial = {
    config: options.config,
    store: options.store,
    clock,
    ids: options.ids ?? timeOrderedIds(clock),
    logger,
    mailer: options.mailer ?? createMailer(options.config, logger),
    resolveHost: options.resolveHost ?? systemResolver,
    keyring: createKeyring(options.config, options.store, clock),
  };
  // The runner needs the services it belongs to; it stays idle until start().
  const meter = createUsageMeter(options.store, clock, logger);
  const services: Services = {
    ...partial,
    meter,
    // Off unless someone can read them: no cost on the request path, and none at start.
    metrics:
      options.config.metricsToken || options.config.metricsPort !== undefined
        ? createMetrics({ store: options.store, clock, logger })
        : noMetrics,
    readiness: { draining: false },
    // The executor finds operations by name here and asks the deciders features register.
    executor: createExecutorSetup(operations, billingDeciders, policyDeciders),
    jobs: undefined as unknown as JobRunner,
    webhooks: undefined as unknown as WebhookDispatcher,
  };
  (services as { jobs: JobRunner }).jobs = createJobRunner(services, options.jobIntervalMs);
  (services as { webhooks: WebhookDispatcher }).webhooks = createWebhookDispatcher(
    services,
    options.webhookIntervalMs,
  );
  const http = buildHttpApp(services, operations);
  mountOAuth(http, services);
  mountMcp(http, services, operations);
  return {
    services,
    fetch: async (request, env) => http.fetch(request, env),
    request: async (path, init) => http.request(path, init),
  };
}
