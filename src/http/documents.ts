import type { Context, Hono } from 'hono';
import { renderSuccess } from '../answer/render.js';
import { authenticate } from '../auth/tokens.js';
import { toolCatalogDocument } from '../discovery/catalog.js';
import { manifest, policyDocument } from '../discovery/documents.js';
import { guideDocument } from '../discovery/guide.js';
import { llmsTxt, skillMarkdown } from '../discovery/skill.js';
import { AppError } from '../errors.js';
import type { AnyOperation } from '../operations/define.js';
import type { Services } from '../services.js';
import type { HttpEnv } from './env.js';
import { helpText } from './help.js';
import { openApiDocument } from './openapi.js';

/**
 * A probe's answer: its one word in text (what load balancers match), the envelope in JSON, as
 * every other answer of the API when JSON is asked for.
 */
function probe(c: Context<HttpEnv>, status: string): Response {
  if (c.get('format') !== 'json') return c.text(`${status}\n`);
  const rendered = renderSuccess(
    { data: { status } },
    { format: 'json', requestId: c.get('requestId'), idempotencyKey: null, operationName: null },
  );
  return c.body(rendered.body, 200, rendered.headers);
}

/** The probes and the documents an agent reads before calling anything (no auth needed). */
export function mountDocuments(app: Hono<HttpEnv>, services: Services, operations: readonly AnyOperation[]) {
  app.get('/healthz', (c) => probe(c, 'ok'));
  app.get('/readyz', async (c) => {
    if (services.readiness.draining) {
      throw new AppError(
        'unavailable',
        'the server is draining before it stops',
        'send new requests to another instance; this one finishes what it has and exits',
      );
    }
    try {
      await services.store.ping();
    } catch (error) {
      services.logger.error({ err: error, request_id: c.get('requestId') }, 'readiness check failed');
      throw new AppError(
        'unavailable',
        'the database is not answering',
        'retry shortly; if it lasts, check DATABASE_URL and the database server',
      );
    }
    return probe(c, 'ready');
  });
  // With a token the endpoint list is that caller's own: an agent is not shown routes it is refused.
  app.get('/help', async (c) => {
    const authorization = c.req.header('authorization');
    const caller = authorization ? await authenticate(services, authorization) : null;
    return c.text(helpText(services, operations, caller));
  });
  app.get('/openapi.json', (c) => c.json(openApiDocument(services, operations)));

  app.get('/agentcrm.json', (c) => c.json(manifest(services, operations)));
  app.get('/agentcrm-tools.json', (c) => {
    const names = c.req.query('tool');
    const full = c.req.query('full');
    if (full !== undefined && full !== 'true' && full !== 'false')
      throw new AppError(
        'invalid_input',
        'full: true or false',
        'send ?full=true for every tool with its input schema',
      );
    if (names === undefined) return c.json(toolCatalogDocument(operations, { full: full === 'true' }));
    const wanted = names
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const tools = wanted.map((name) =>
      operations.find((operation) => operation.name === name || operation.name.replace(/\./g, '_') === name),
    );
    const missing = wanted.filter((_, index) => !tools[index]);
    if (wanted.length === 0 || missing.length)
      throw new AppError(
        'not_found',
        wanted.length
          ? `no tool named ${missing.map((name) => `"${name}"`).join(', ')}`
          : 'tool: name at least one tool',
        'GET /agentcrm-tools.json lists every tool by name; send ?tool=contacts.create (several: comma-separated)',
      );
    return c.json(toolCatalogDocument(operations, { tools: tools as AnyOperation[] }));
  });
  app.get('/agentcrm-policy.json', (c) => c.json(policyDocument()));
  app.get('/agentcrm-guide.json', (c) => c.json(guideDocument(services, operations)));
  app.get('/llms.txt', (c) => c.text(llmsTxt(services)));
  app.get('/SKILL.md', (c) =>
    c.body(skillMarkdown(services, operations), 200, { 'content-type': 'text/markdown; charset=utf-8' }),
  );
}
