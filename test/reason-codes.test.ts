import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allReasonCodes } from '../src/policy/reason-codes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testSources(full);
    return entry.name.endsWith('.test.ts') && entry.name !== 'reason-codes.test.ts' ? [full] : [];
  });
}

/**
 * Every code published in /agentcrm-policy.json is asserted by some test (the compiler already
 * refuses a verdict or error code that is not published). A new code without a test fails here.
 */
describe('reason and error codes', () => {
  const sources = [...testSources(path.join(root, 'src')), ...testSources(path.join(root, 'test'))]
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');

  it.each(allReasonCodes().map((entry) => entry.code))('%s is produced and checked by a test', (code) => {
    expect(
      sources.includes(`'${code}'`) || sources.includes(`"${code}"`) || sources.includes(`error ${code}:`),
    ).toBe(true);
  });
});
