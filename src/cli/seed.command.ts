import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createSeedWorkspace, SeedError, seedWorkspace } from '../seed/seed.js';
import { createProgress } from './progress.js';
import { CliError, cliConfig, EXIT, openServices, parseCount, usage } from './shared.js';

interface SeedFlags {
  contacts?: number;
  companies?: number;
  deals?: number;
  activities?: number;
  scale?: number;
  workspace?: string;
  seed: number;
  now?: string;
  tokenFile?: string;
  agentName: string;
}

const format = (n: number) => n.toLocaleString('en-US');

export function seedCommand(): Command {
  return new Command('seed')
    .description(
      'fill a workspace with realistic, reproducible data: companies, contacts, deals and activities ' +
        '(default: a new sandbox workspace with an agent, whose token is printed once)',
    )
    .option('--contacts <n>', 'contacts (default 100000; 100k and 1m work too)', parseCount('--contacts'))
    .option('--companies <n>', 'companies (default: contacts / 10)', parseCount('--companies'))
    .option('--deals <n>', 'deals (default: as many as contacts)', parseCount('--deals'))
    .option(
      '--activities <n>',
      'activities in the last 90 days (default: 3 × contacts)',
      parseCount('--activities'),
    )
    .addOption(
      new Option('--scale <size>', 'shorthand for --contacts: 10k, 100k, 1m')
        .argParser(parseCount('--scale'))
        .conflicts('contacts'),
    )
    .option('--workspace <wrk_id>', 'seed this existing workspace instead of a new one')
    .option('--seed <n>', 'the random seed: the same seed, counts and --now give the same data', parseSeed, 1)
    .option('--now <time>', 'the moment the data is built around (RFC3339; default: now)')
    .option(
      '--token-file <path>',
      "write the new agent's token to this file (mode 600) instead of printing it",
    )
    .option('--agent-name <name>', 'name of the agent a new workspace gets', 'seed_agent')
    .action(async (flags: SeedFlags) => {
      const now = flags.now === undefined ? new Date() : new Date(flags.now);
      if (Number.isNaN(now.getTime()))
        throw usage(`--now takes an RFC3339 time such as 2026-03-01T09:00:00Z`);
      if (flags.workspace && flags.tokenFile) {
        throw usage('--token-file is for the token of a new workspace; with --workspace no token is made');
      }
      const contacts = flags.contacts ?? flags.scale ?? 100_000;
      const counts = {
        contacts,
        companies: flags.companies ?? Math.ceil(contacts / 10),
        deals: flags.deals ?? contacts,
        activities: flags.activities ?? contacts * 3,
        seed: flags.seed,
        now,
      };
      const { services, close } = await openServices(cliConfig());
      try {
        let workspaceId = flags.workspace;
        if (!workspaceId) {
          const created = await createSeedWorkspace(services, flags.agentName);
          workspaceId = created.workspaceId;
          // What is printed must survive a power cut (SQLite flushes commits in groups).
          await services.store.durable();
          process.stdout.write(`workspace_id=${created.workspaceId}\nagent_id=${created.agentId}\n`);
          if (flags.tokenFile) {
            writeFileSync(flags.tokenFile, `${created.token}\n`, { mode: 0o600 });
            process.stdout.write(`token_file=${flags.tokenFile}\n`);
          } else {
            process.stdout.write(`token=${created.token}\n# save the token now: it is shown only once\n`);
          }
        }
        const report = await seedWorkspace(services, workspaceId, counts, createProgress());
        await services.store.durable();
        const seconds = report.ms / 1000;
        const parts = report.tables.map(({ table, rows }) => `${table} ${format(rows)}`).join(', ');
        process.stdout.write(
          `# seeded ${workspaceId}: ${parts} — ${format(report.rows)} rows in ${seconds.toFixed(1)} s ` +
            `(${format(Math.round(report.rows / Math.max(seconds, 0.001)))} rows/s)\n`,
        );
      } catch (error) {
        if (error instanceof SeedError)
          throw new CliError(error.message, error.usage ? EXIT.usage : EXIT.failed);
        throw error;
      } finally {
        await close();
      }
    });
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new InvalidArgumentError('--seed takes a whole number from 0 to 4294967295.');
  }
  return n;
}
