import { Command } from 'commander';
import { type BrokenLink, verifyChains } from '../audit/verify.js';
import { connectStore } from '../store/connect.js';
import { findWorkspace } from '../workspaces/workspaces.repository.js';
import { createProgress } from './progress.js';
import { CliError, cliConfig, EXIT, usage } from './shared.js';

const format = (n: number) => n.toLocaleString('en-US');

const PROBLEMS: Record<BrokenLink['problem'], string> = {
  missing_rows: 'rows are missing before it (its place in the chain skips ahead)',
  prev_hash: 'it does not point at the row before it (a row before it was changed, removed or inserted)',
  changes_digest: 'its changes were edited (they no longer match their digest)',
  hash: 'its content was edited (it no longer matches its hash)',
};

/** What an operator reads when a chain breaks: where, what, and the values that disagree. */
function describe(broken: BrokenLink): string {
  return [
    `# audit chain broken in workspace ${broken.workspaceId} at audit/${broken.auditId} (seq ${broken.seq}):`,
    `# ${PROBLEMS[broken.problem]}`,
    `expected: ${broken.expected}`,
    `found:    ${broken.found}`,
    '',
  ].join('\n');
}

export function auditCommand(): Command {
  const audit = new Command('audit').description('check the audit log');
  audit
    .command('verify')
    // A nested command: main.ts turns the usage errors of top-level commands into exit 2, and this.
    .exitOverride()
    .showHelpAfterError('(run agentcrm audit verify --help for the flags)')
    .description(
      "walk every workspace's audit hash chain (or one) and report the first broken link; exits 1 if one is broken",
    )
    .option('--workspace <id>', 'verify this workspace only (wrk_…)')
    .option('--heads', "print each workspace's last link (seq and hash), to keep outside the database")
    .action(async (flags: { workspace?: string; heads?: boolean }) => {
      if (flags.workspace !== undefined && !/^wrk_[0-9a-z]+$/.test(flags.workspace)) {
        throw usage(`--workspace takes a workspace id such as wrk_…, not "${flags.workspace}"`);
      }
      const store = connectStore(cliConfig());
      try {
        if (flags.workspace && !(await findWorkspace(store.db, flags.workspace))) {
          throw usage(`there is no workspace ${flags.workspace} in this database`);
        }
        const result = await verifyChains(store.db, {
          workspaceId: flags.workspace,
          progress: createProgress(),
          onVerified: (workspaceId, head) => {
            if (flags.heads)
              process.stdout.write(`workspace/${workspaceId} seq=${head.seq} hash=${head.hash}\n`);
          },
        }).catch((error: unknown) => {
          if (/no such column|column .* does not exist|no such table/i.test(String(error))) {
            throw usage(
              'this database has no audit chain yet: run agentcrm migrate (or start the server) first',
            );
          }
          throw error;
        });
        if (result.broken) {
          process.stdout.write(describe(result.broken));
          throw new CliError(
            `the audit log of ${result.broken.workspaceId} was altered at audit/${result.broken.auditId}`,
            EXIT.failed,
          );
        }
        process.stdout.write(
          `# audit verified: ${format(result.workspaces)} workspaces, ${format(result.rows)} rows, every link holds\n`,
        );
      } finally {
        await store.close();
      }
    });
  return audit;
}
