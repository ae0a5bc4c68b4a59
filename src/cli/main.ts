#!/usr/bin/env node
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { ListenError } from '../listen.js';
import { startServer } from '../server.js';
import { connectStore, migrateToLatest } from '../store/connect.js';
import { auditCommand } from './audit.command.js';
import { backupCommand, restoreCommand } from './backup.command.js';
import { exportCommand, importCommand } from './csv.command.js';
import { doctorCommand } from './doctor.command.js';
import { seedCommand } from './seed.command.js';
import { settingsHelp } from './settings-help.js';
import { CliError, cliConfig, EXIT, refuseDamaged } from './shared.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command()
  .name('agentcrm')
  .description('A headless CRM for AI agents. Configuration comes from the environment (see README).')
  .version(version, '-V, --version', 'print the version and exit');

program
  .command('serve', { isDefault: true })
  .description('run the HTTP server (default)')
  .addHelpText('after', settingsHelp())
  .action(async () => {
    const { stop } = await startServer(cliConfig()).catch(refuseDamaged);
    // SIGTERM (a supervisor, a rolling restart) drains first; Ctrl-C, or a second signal, does not.
    let signalled = false;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.on(signal, () => {
        stop({ drain: signal === 'SIGTERM' && !signalled }).then(
          () => process.exit(0),
          () => process.exit(1),
        );
        signalled = true;
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
  doctorCommand(),
  auditCommand(),
]) {
  program.addCommand(command);
}

// Usage errors (unknown command or flag, bad value) exit with 2, like the other usage errors.
for (const command of [program, ...program.commands]) {
  command.exitOverride().showHelpAfterError('(run agentcrm <command> --help for the flags)');
}

// `serve` is the default command, so commander would read `agentcrm bogus` as serve's argument and
// say "too many arguments for 'serve'": name the unknown command and list the real ones instead.
const first = process.argv[2];
const names = program.commands.flatMap((command) => [command.name(), ...command.aliases()]);
if (first !== undefined && !first.startsWith('-') && first !== 'help' && !names.includes(first)) {
  process.stderr.write(
    `agentcrm: unknown command '${first}'\ncommands: ${program.commands.map((c) => c.name()).join(', ')}\n` +
      '(run agentcrm --help for what each does)\n',
  );
  process.exit(EXIT.usage);
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
  if (error instanceof ListenError) process.exit(EXIT.listen);
  process.exit(error instanceof CliError ? error.exitCode : EXIT.failed);
});
