import type { Context } from 'hono';
import type { Surface } from '../metrics/metrics.js';
import type { Services } from '../services.js';
import type { HttpEnv } from './env.js';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** Which surface a request used, from its path: a bounded label, never the path itself. */
export function surfaceOf(path: string, operation: string | null): Surface {
  if (path.startsWith('/tools/')) return 'tool';
  if (path === '/mcp' || path.startsWith('/mcp/')) return 'mcp';
  if (operation) return 'rest';
  if (path.startsWith('/oauth') || path.startsWith('/.well-known/oauth')) return 'oauth';
  if (path === '/human' || path.startsWith('/human/')) return 'console';
  if (PROBES.has(path)) return 'probe';
  return 'other';
}

/**
 * The request's log line and metrics, once its answer is ready. The line names the workspace and
 * actor by id; it never carries a header, a query string or a body (where tokens, codes and
 * email addresses travel), only the path, which holds ids.
 */
export function recordRequest(services: Services, c: Context<HttpEnv>, started: number): void {
  const seconds = (performance.now() - started) / 1000;
  const aborted = c.get('aborted') === true;
  const status = aborted ? 499 : c.res.status;
  const operation = c.get('operationName');
  const path = c.req.path;
  services.metrics.request(operation, surfaceOf(path, operation), status, seconds);
  const caller = c.get('caller');
  services.logger.info(
    {
      request_id: c.get('requestId'),
      method: c.req.method,
      path,
      status,
      ...(aborted ? { aborted: true } : {}),
      operation,
      workspace_id: caller?.workspaceId ?? null,
      actor_id: caller?.principalId ?? null,
      duration_ms: Math.round(seconds * 10_000) / 10,
    },
    aborted ? 'request aborted by the client' : 'request',
  );
}
