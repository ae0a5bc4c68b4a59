import { type App, createApp } from '../src/app.js';
import { connectStore } from '../src/store/connect.js';
import type { TestApp } from './harness.js';

/**
 * Another app instance on the same database as `t`, with its own connection pool: on
 * PostgreSQL this is what a second server process looks like to the database.
 */
export function secondApp(t: TestApp): { app: App; close(): Promise<void> } {
  const store = connectStore(t.config);
  const app = createApp({ config: t.config, store, clock: t.clock });
  return { app, close: () => store.close() };
}
