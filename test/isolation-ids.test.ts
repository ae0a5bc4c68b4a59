import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../src/errors.js';
import { toolName } from '../src/mcp/tools.js';
import { operations } from '../src/operations/registry.js';
import { allowedFields } from '../src/operations/validation.js';
import { B_NAMES, isolationFixture, restCall } from './fixtures/isolation.js';
import { type Agent, call, DIALECTS, type TestApp } from './harness.js';
import type { Person } from './mailbox.js';

/**
 * Generated from the registry: every operation that takes an id, called by workspace A's agent
 * and by A's human with workspace B's ids — over POST /tools/{name}, its REST route, the MCP
 * tool of the same name and the MCP `request` tool — answers 404 (403 for a workspace it is not
 * in) and leaves every row of B exactly as it was. A new operation is covered without a new test.
 */
describe.each(DIALECTS)('tenant isolation across every operation on %s', (dialect) => {
  const fx = isolationFixture(dialect);
  const { ids, mcp, dump } = fx;
  let t: TestApp;
  let a: Agent;
  let aHuman: Person;
  let b: Agent;
  beforeAll(async () => {
    ({ t, a, aHuman, b } = await fx.setup());
  });
  afterAll(async () => fx.close());

  const withIds = operations.filter((operation) =>
    allowedFields(operation.input).some((field) => field.endsWith('_id') && field !== 'workspace_id'),
  );

  it('covers every operation that names a record', () => {
    expect(withIds.length).toBeGreaterThan(20);
  });

  it.each(withIds.map((operation) => operation.name))(
    "%s with another workspace's ids: 404, nothing changed",
    async (name) => {
      const operation = operations.find((candidate) => candidate.name === name)!;
      const fields = allowedFields(operation.input);
      const input: Record<string, unknown> = {};
      const plausible: Record<string, unknown> = {
        name: 'Hijacked',
        title: 'Hijacked',
        changes: { title: 'Hijacked' },
        decision: 'approve',
        kind: 'note',
        body: 'Hijacked',
        role: 'admin',
        status: 'done',
      };
      for (const field of fields) {
        if (ids[field]) input[field] = ids[field];
        else if (field in plausible) input[field] = plausible[field];
      }
      const before = await dump(b.workspaceId);
      const rest = restCall(operation, input);
      for (const [who, token] of [a.token, aHuman.token].entries()) {
        const tag = `${name}_${who}`;
        const reply = await call(t.app, 'POST', `/tools/${name}`, input, {
          token,
          json: true,
          headers: { 'x-idempotency-key': `idem_iso_tools_${tag}` },
        });
        // 400 when the operation needs more input than ids: it must not get as far as B's data.
        expect([400, 403, 404], `${name}: ${reply.text}`).toContain(reply.status);
        for (const secret of B_NAMES) expect(reply.text, name).not.toContain(secret);

        const routed = await call(t.app, rest.method, rest.target, rest.body, {
          token,
          json: true,
          headers: { 'x-idempotency-key': `idem_iso_rest_${tag}` },
        });
        expect([400, 403, 404], `${rest.method} ${rest.target}: ${routed.text}`).toContain(routed.status);
        for (const secret of B_NAMES) expect(routed.text, rest.target).not.toContain(secret);

        const result = (await mcp[who]!.callTool({
          name: toolName(operation),
          arguments: { ...input, ...(operation.mutating ? { idempotency_key: `idem_iso_mcp_${tag}` } : {}) },
        })) as CallToolResult;
        const code = (result.structuredContent as { error?: { code: ErrorCode } } | undefined)?.error?.code;
        expect(result.isError, `MCP ${toolName(operation)}: ${JSON.stringify(result.content)}`).toBe(true);
        expect([400, 403, 404], `MCP ${toolName(operation)}: ${code}`).toContain(ERROR_CODES[code!]?.status);
        for (const secret of B_NAMES) expect(JSON.stringify(result), name).not.toContain(secret);

        // The generic `request` tool of the same MCP server, on the REST route.
        const generic = (await mcp[who]!.callTool({
          name: 'request',
          arguments: { method: rest.method, path: rest.target, ...(rest.body ? { body: rest.body } : {}) },
        })) as CallToolResult;
        const genericText = (generic.content[0] as { text: string }).text;
        const genericCode = /^error (\w+):/m.exec(genericText)?.[1] as ErrorCode | undefined;
        expect(generic.isError, `MCP request ${rest.method} ${rest.target}: ${genericText}`).toBe(true);
        expect([400, 403, 404], `MCP request ${rest.target}: ${genericText}`).toContain(
          ERROR_CODES[genericCode!]?.status,
        );
        for (const secret of B_NAMES) expect(genericText, rest.target).not.toContain(secret);
      }
      expect(await dump(b.workspaceId)).toBe(before);
    },
  );
});
