import { Command } from 'commander';
import { runDoctor } from '../store/doctor.js';
import { CliError, cliConfig, EXIT } from './shared.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function doctorCommand(): Command {
  return new Command('doctor')
    .description(
      'check the database in full: integrity, foreign keys, migrations (read only; safe while the server runs)',
    )
    .action(async () => {
      const checks = await runDoctor(cliConfig());
      for (const check of checks) {
        process.stdout.write(
          `${check.status.padEnd(7)} ${check.name}: ${check.detail} (${seconds(check.ms)})\n`,
        );
      }
      const count = (status: string) => checks.filter((c) => c.status === status).length;
      const failedChecks = checks.filter((c) => c.status === 'failed');
      const total = seconds(checks.reduce((sum, c) => sum + c.ms, 0));
      process.stdout.write(
        `# doctor: ${count('ok')} ok, ${failedChecks.length} failed, ${count('skipped')} skipped in ${total}\n`,
      );
      if (!failedChecks.length) return;
      // Damage is exit 4, as when the server refuses to start; anything else that failed is 1.
      const damaged = failedChecks.some((c) => c.damage);
      throw new CliError(
        damaged
          ? 'the database is damaged: see the failed checks above; docs/RELIABILITY.md ("A damaged database") has the recovery steps'
          : 'some checks failed: see above',
        damaged ? EXIT.damaged : EXIT.failed,
      );
    });
}
