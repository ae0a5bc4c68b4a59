import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { createApp } from './app.js';
import { startAuthCache } from './auth/tokens.js';
import type { Config } from './config.js';
import { connectStore, migrateToLatest } from './store/connect.js';

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
  const store = connectStore(config);
  const applied = await migrateToLatest(store);
  if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
  const app = createApp({ config, store, logger });
  app.services.jobs.start();
  app.services.webhooks.start();
  app.services.meter.start();
  startAuthCache(app.services);
  // Slow clients (slowloris) must not hold connections open: headers within headersTimeout, the
  // whole request within requestTimeout, checked every second (Node's default is every 30 s).
  const timeouts = {
    headersTimeout: config.headersTimeoutSeconds * 1000,
    requestTimeout: config.requestTimeoutSeconds * 1000,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: 1_000,
  };
  const server = await new Promise<Server>((resolve) => {
    const s = serve(
      { fetch: app.fetch, port: config.port, hostname: config.host, serverOptions: timeouts },
      () => resolve(s as Server),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { port, host: config.host, database: config.databaseUrl ? 'postgres' : store.sqlitePath },
    `agentcrm listening on http://${config.host}:${port}`,
  );
  // Supervisors and tests wait for this line: it goes out at once.
  flushLog();

  let stopping: Promise<void> | undefined;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes the database. */
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
      await closed;
      clearTimeout(grace);
      await app.services.jobs.stop();
      await app.services.webhooks.stop();
      await app.services.meter.stop();
      await store.close();
      logger.info('stopped');
      clearInterval(logTimer);
      flushLog();
      process.removeListener('exit', flushLog);
    })();
    return stopping;
  };
  return { server, port, stop, app };
}
