#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { startServer } from '../server.js';
import { connectStore, migrateToLatest } from '../store/connect.js';
import { auditCommand } from './audit.command.js';
import { backupCommand, restoreCommand } from './backup.command.js';
import { exportCommand, importCommand } from './csv.command.js';
import { seedCommand } from './seed.command.js';
import { CliError, cliConfig, EXIT } from './shared.js';

const program = new Command()
  .name('agentcrm')
  .description('A headless CRM for AI agents. Configuration comes from the environment (see README).');

program
  .command('serve', { isDefault: true })
  .description('run the HTTP server (default)')
  .action(async () => {
    const { stop } = await startServer(cliConfig());
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
    const store = connectStore(cliConfig());
    try {
      const applied = await migrateToLatest(store);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n');
    } finally {
      await store.close();
    }
  });

for (const command of [
  seedCommand(),
  importCommand(),
  exportCommand(),
  backupCommand(),
  restoreCommand(),
  auditCommand(),
]) {
  program.addCommand(command);
}

// Usage errors (unknown command or flag, bad value) exit with 2, like the other usage errors.
for (const command of [program, ...program.commands]) {
  command.exitOverride().showHelpAfterError('(run agentcrm <command> --help for the flags)');
}

// `agentcrm export contacts | head` closes the pipe early: stop quietly, as other tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});

program.parseAsync().catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`agentcrm: ${message}\n`);
  process.exit(error instanceof CliError ? error.exitCode : EXIT.failed);
});
