import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'agentcrm-cli-ops-'));
const env = { DATA_DIR: dataDir };
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Each case starts the CLI a few times; on a loaded machine one start takes seconds.
describe('the agentcrm command line', { timeout: 60_000 }, () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints its version', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag], env);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
    }
  });

  it('names an unknown command as such and lists the commands', async () => {
    const result = await runCli(['bogus'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'bogus'");
    expect(result.stderr).toMatch(/commands: serve, migrate, .*export/);
    expect(result.stderr).not.toContain('too many arguments');
    // A known command still works, and so does an unknown flag's usage error.
    expect((await runCli(['migrate'], env)).code).toBe(0);
    expect((await runCli(['--bogus'], env)).code).toBe(2);
  });

  it('lists the environment variables in serve --help', async () => {
    const result = await runCli(['serve', '--help'], env);
    expect(result.code).toBe(0);
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'DATABASE_POOL_SIZE',
      'DRAIN_SECONDS',
      'METRICS_TOKEN',
      'METRICS_PORT',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${name} +`, 'm'));
    }
    expect(result.stdout).toMatch(/^ {2}PORT +default 8787$/m);
    expect(result.stdout).toMatch(/^ {2}DATABASE_POOL_SIZE +default 10$/m);
    expect(result.stdout).toMatch(/^ {2}DATABASE_URL +\(unset\)$/m);
  });

  it('refuses bad values of the new settings at start, naming each', async () => {
    // PORT 0: were the values accepted, the server would not take anyone's port.
    const result = await runCli(['serve'], {
      ...env,
      PORT: '0',
      DATABASE_POOL_SIZE: '0',
      DRAIN_SECONDS: '-1',
      METRICS_TOKEN: 'short',
      METRICS_PORT: 'http',
    });
    expect(result.code).toBe(2);
    for (const name of ['DATABASE_POOL_SIZE', 'DRAIN_SECONDS', 'METRICS_TOKEN', 'METRICS_PORT']) {
      expect(result.stderr).toContain(`  ${name}: `);
    }
    expect(result.stderr).toContain('METRICS_TOKEN: must be at least 16 characters');
  });
});
