import path from 'node:path';
import { Command } from 'commander';
import { BackupError, backupSqlite, restoreSqlite } from '../backup/backup.js';
import { CliError, cliConfig, usage } from './shared.js';

const format = (n: number) => n.toLocaleString('en-US');
const counted = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([table, n]) => `${format(n)} ${table}`)
    .join(', ');

const POSTGRES_BACKUP =
  'on PostgreSQL (DATABASE_URL is set) use the database\'s own tools: pg_dump -Fc "$DATABASE_URL" -f agentcrm.dump, ' +
  'restored with pg_restore -d "$DATABASE_URL" agentcrm.dump; for point-in-time recovery, WAL archiving (see docs/cli.md)';

function sqlitePath() {
  const config = cliConfig();
  if (config.databaseUrl) throw usage(POSTGRES_BACKUP);
  return path.join(config.dataDir, 'agentcrm.sqlite');
}

export function backupCommand(): Command {
  return new Command('backup')
    .description('take an online, consistent backup of the SQLite database (safe while the server writes)')
    .argument('<file>', 'where to write the backup')
    .option('--force', 'replace <file> if it exists')
    .action((file: string, flags: { force?: boolean }) => {
      const source = sqlitePath();
      try {
        const report = backupSqlite(source, path.resolve(file), flags.force ?? false);
        process.stdout.write(
          `# backup ${report.file}: ${format(report.bytes)} bytes in ${(report.ms / 1000).toFixed(1)} s, ` +
            `integrity ok; ${counted(report.counts)}; migration ${report.migration ?? 'none'}\n`,
        );
      } catch (error) {
        if (error instanceof BackupError) throw new CliError(error.message);
        throw error;
      }
    });
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description('restore a backup as the SQLite database in DATA_DIR (never while a server has it open)')
    .argument('<file>', 'a file made by agentcrm backup')
    .option('--force', 'replace an existing database (it is kept as agentcrm.sqlite.before-restore-<time>)')
    .action(async (file: string, flags: { force?: boolean }) => {
      const target = sqlitePath();
      try {
        const report = await restoreSqlite(path.resolve(file), target, flags.force ?? false, new Date());
        process.stdout.write(
          `# restored ${path.resolve(file)} to ${report.target}: integrity ok; ${counted(report.counts)}; ` +
            `migration ${report.migration ?? 'none'} (newer migrations run when the server starts)\n`,
        );
        if (report.previous) process.stdout.write(`# the replaced database is kept at ${report.previous}\n`);
      } catch (error) {
        if (error instanceof BackupError) throw new CliError(error.message);
        throw error;
      }
    });
}
