#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { startServer } from '../server.js';
import { connectStore, migrateToLatest } from '../store/connect.js';

function config() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`agentcrm: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

const program = new Command()
  .name('agentcrm')
  .description('A headless CRM for AI agents. Configuration comes from the environment (see README).');

program
  .command('serve', { isDefault: true })
  .description('run the HTTP server (default)')
  .action(async () => {
    const { stop } = await startServer(config());
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const store = connectStore(config());
    try {
      const applied = await migrateToLatest(store);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n');
    } finally {
      await store.close();
    }
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`agentcrm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
