import type { Server } from 'node:http';
import pino from 'pino';
import { createApp } from './app.js';
import { startAuthCache } from './auth/tokens.js';
import type { Config } from './config.js';
import { metricsResponse } from './http/metrics-route.js';
import { createSweeper } from './lifecycle/sweeper.js';
import { listen } from './listen.js';
import { prepareSecrets } from './secrets/startup.js';
import { connectStore, migrateToLatest, sqliteFile } from './store/connect.js';
import { checkSqliteAtStart, DatabaseDamagedError, damagedMessage } from './store/startup-check.js';

/**
 * The start-up check's bounds. `on`: the whole file when it is at most 8 MB, else tables smallest
 * first within 150 ms and sampled b-tree paths of the rest (docs/RELIABILITY.md has the numbers).
 */
const STARTUP_CHECK = {
  on: { fullCheckBytes: 8 * 1024 * 1024, budgetMs: 150 },
  full: { fullCheckBytes: Number.POSITIVE_INFINITY, budgetMs: 0 },
} as const;

/** config → store → migrate → serve; resolves once the port is listening. */
export async function startServer(config: Config) {
  // Log lines go out through a buffer, written a few kilobytes at a time off the request path
  // instead of one write(2) per line. The buffer is flushed at shutdown and at exit; a crash
  // (SIGKILL, out of memory, power loss) loses at most the lines still in it, never data.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const logger = pino({ level: config.logLevel }, destination);
  const flushLog = () => {
    try {
      destination.flushSync();
    } catch {
      // Nothing buffered, or stdout already closed.
    }
  };
  process.once('exit', flushLog);
  // No line waits in the buffer for more than a second, however quiet the server is.
  const logTimer = setInterval(() => {
    try {
      destination.flush();
    } catch {
      // Being closed.
    }
  }, 1000);
  logTimer.unref();
  if (!config.databaseUrl && config.sqliteStartupCheck !== 'off') {
    const file = sqliteFile(config.dataDir);
    const check = checkSqliteAtStart(file, STARTUP_CHECK[config.sqliteStartupCheck]);
    if (check.problems.length) {
      logger.fatal(
        { file, problems: check.problems.slice(0, 20), checked: check.covered },
        'database damaged',
      );
      flushLog();
      throw new DatabaseDamagedError(damagedMessage(file, check));
    }
    logger.info({ checked: check.covered, ms: check.ms }, 'database checked');
  }
  const store = connectStore(config);
  const applied = await migrateToLatest(store);
  if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
  const app = createApp({ config, store, logger });
  try {
    await prepareSecrets(app.services);
  } catch (error) {
    await store.close();
    throw error;
  }
  startAuthCache(app.services);
  // Slow clients (slowloris) must not hold connections open: headers within headersTimeout, the
  // whole request within requestTimeout, checked every second (Node's default is every 30 s).
  const timeouts = {
    headersTimeout: config.headersTimeoutSeconds * 1000,
    requestTimeout: config.requestTimeoutSeconds * 1000,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: 1_000,
  };
  let server: Server;
  let metricsServer: Server | undefined;
  try {
    server = await listen(app.fetch, {
      port: config.port,
      host: config.host,
      setting: 'PORT',
      serverOptions: timeouts,
    });
    if (config.metricsPort !== undefined) {
      // Its own listener, bound to METRICS_HOST, answers /metrics to anyone who can reach it.
      metricsServer = await listen(
        (request) =>
          new URL(request.url).pathname === '/metrics'
            ? metricsResponse(app.services)
            : new Response('not found: this listener serves GET /metrics only\n', { status: 404 }),
        { port: config.metricsPort, host: config.metricsHost, setting: 'METRICS_PORT' },
      );
    }
  } catch (error) {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await store.close();
    clearInterval(logTimer);
    flushLog();
    process.removeListener('exit', flushLog);
    throw error;
  }
  app.services.jobs.start();
  app.services.webhooks.start();
  app.services.meter.start();
  // The retention sweeper (docs/lifecycle.md): off when RETENTION_SWEEP_SECONDS=0. Its first pass
  // waits one interval: a restart (several, in a rolling upgrade) adds no maintenance work to the
  // moments an instance takes load back.
  const sweeper = createSweeper(app.services, logger);
  sweeper?.start({ afterInterval: true });
  const port = portOf(server, config.port);
  const metricsPort = metricsServer ? portOf(metricsServer, config.metricsPort!) : undefined;
  logger.info(
    {
      port,
      host: config.host,
      database: config.databaseUrl ? 'postgres' : store.sqlitePath,
      ...(metricsServer ? { metrics_port: metricsPort, metrics_host: config.metricsHost } : {}),
    },
    `agentcrm listening on http://${config.host}:${port}`,
  );
  // Supervisors and tests wait for this line: it goes out at once.
  flushLog();

  let stopping: Promise<void> | undefined;
  let endDrain = () => {};
  /**
   * Drains, then stops: for DRAIN_SECONDS /readyz answers 503 while every request is still served,
   * so a load balancer stops sending new ones before the port closes; then stops accepting, lets
   * in-flight requests finish (up to the grace period) and closes the database. `drain: false`
   * (Ctrl-C, or a second signal during the drain) skips or cuts the drain short.
   */
  const stop = ({ drain = true }: { drain?: boolean } = {}) => {
    if (!drain) endDrain();
    stopping ??= (async () => {
      if (drain && config.drainSeconds > 0) {
        app.services.readiness.draining = true;
        logger.info(
          { drain_seconds: config.drainSeconds },
          'draining: /readyz answers 503, requests are still served',
        );
        flushLog();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, config.drainSeconds * 1000);
          endDrain = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      logger.info('shutting down');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      metricsServer?.close();
      metricsServer?.closeAllConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
      await closed;
      clearTimeout(grace);
      await app.services.jobs.stop();
      await app.services.webhooks.stop();
      await app.services.meter.stop();
      await sweeper?.stop();
      await store.close();
      logger.info('stopped');
      clearInterval(logTimer);
      flushLog();
      process.removeListener('exit', flushLog);
    })();
    return stopping;
  };
  return { server, port, metricsPort, stop, app };
}

function portOf(server: Server, fallback: number): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : fallback;
}
