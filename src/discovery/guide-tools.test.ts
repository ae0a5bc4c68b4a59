import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAfter, section } from '../../test/agentonly-guide.js';
import { call, createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import { operations } from '../operations/registry.js';

/** The guide's `no` / `sometimes (sensitive)` column → the catalog's requires_human_approval. */
const approvalOf = (words: string) => (words.startsWith('sometimes') ? 'sometimes' : 'never');

/** The guide's tool table ("Tools (selected)") is the contract: the catalog must agree row by row. */
describe.each(DIALECTS)("the guide's tool table and the catalog on %s", (dialect) => {
  let t: TestApp;
  // biome-ignore lint/suspicious/noExplicitAny: documents are read freely
  let guide: any;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    guide = JSON.parse((await call(t.app, 'GET', '/agentcrm-guide.json')).text);
  });
  afterAll(async () => t.close());

  it('the tool table matches the catalog row by row: kind, mutating, requires_human_approval', async () => {
    const catalog = JSON.parse((await call(t.app, 'GET', '/agentcrm-tools.json?full=true')).text);
    const rows = listAfter(section('02 use'), 'Tools (selected):');
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      const match = /^(\S+) (read|write|propose) (not mutating|mutating) (.+)$/.exec(row);
      expect(match, row).not.toBeNull();
      const [, name, kind, mutating, approval] = match!;
      const tool = catalog.tools.find((entry: { name: string }) => entry.name === name);
      expect(tool, name).toBeDefined();
      expect({
        name,
        kind: tool.kind,
        mutating: tool.mutating,
        approval: tool.requires_human_approval,
      }).toEqual({
        name,
        kind,
        mutating: mutating === 'mutating',
        approval: approvalOf(approval!),
      });
    }
    // The guide document's own tool table is the same rows, from the registry.
    expect(guide.use.tools.selected.map((tool: { name: string }) => tool.name)).toEqual(
      rows.map((row) => row.split(' ')[0]),
    );
  });

  it('every operation has a kind consistent with its flags', async () => {
    const catalog = JSON.parse((await call(t.app, 'GET', '/agentcrm-tools.json?full=true')).text);
    expect(catalog.tools).toHaveLength(operations.length);
    for (const tool of catalog.tools) {
      expect(['read', 'write', 'propose'], tool.name).toContain(tool.kind);
      // A read never changes anything; a propose tool may wait for a human by definition.
      expect(tool.kind === 'read', tool.name).toBe(!tool.mutating);
      if (tool.kind === 'propose') expect(tool.requires_human_approval, tool.name).not.toBe('never');
    }
    const kinds = Object.fromEntries(
      catalog.tools.map((tool: { name: string; kind: string }) => [tool.name, tool.kind]),
    );
    expect(kinds['contacts.propose_update']).toBe('propose');
    expect(kinds['billing.request_upgrade']).toBe('propose');
    expect(kinds['contacts.update']).toBe('write');
  });

  it('/help shows each route with the guide flags', async () => {
    const help = (await call(t.app, 'GET', '/help')).text;
    expect(help).toMatch(
      /^POST \/contacts\/\{contact_id\}\/proposals .*\[contacts\.propose_update, propose, mutating, approval sometimes\]$/m,
    );
    expect(help).toMatch(
      /^POST \/tasks\/\{task_id\}\/complete .*\[tasks\.complete, write, mutating, approval never\]$/m,
    );
    expect(help).toMatch(/^GET \/contacts .*\[contacts\.search, read, not mutating, approval never\]$/m);
  });
});
