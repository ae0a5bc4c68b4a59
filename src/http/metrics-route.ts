import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { AppError } from '../errors.js';
import type { Services } from '../services.js';
import type { HttpEnv } from './env.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics on the main port: only with METRICS_TOKEN set, and only to a caller presenting it.
 * Without the setting the route does not exist (404), so metrics are closed by default; a separate
 * listener (METRICS_PORT) serves them without a token instead, on an address kept off the internet.
 */
export function metricsHandler(services: Services) {
  const expected = services.config.metricsToken ? digest(services.config.metricsToken) : null;
  return async (c: Context<HttpEnv>) => {
    if (!expected) {
      throw new AppError(
        'not_found',
        'no route GET /metrics',
        'metrics are off on this port: the operator sets METRICS_TOKEN or METRICS_PORT (see docs/metrics.md)',
      );
    }
    const header = c.req.header('authorization');
    if (!header) {
      throw new AppError(
        'auth_required',
        'GET /metrics needs the metrics token',
        'send Authorization: Bearer <METRICS_TOKEN>',
        { headers: { 'www-authenticate': 'Bearer' } },
      );
    }
    // Hashing both sides gives equal lengths, so the comparison takes the same time for any guess.
    const given = digest(header.replace(/^Bearer\s+/i, '').trim());
    if (!timingSafeEqual(given, expected)) {
      throw new AppError(
        'invalid_token',
        'that is not the metrics token',
        'send Authorization: Bearer <METRICS_TOKEN>',
        {
          headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        },
      );
    }
    return metricsResponse(services);
  };
}

/** The exposition itself; also what the METRICS_PORT listener answers. */
export async function metricsResponse(services: Services): Promise<Response> {
  return new Response(await services.metrics.render(), {
    headers: { 'content-type': services.metrics.contentType, 'cache-control': 'no-store' },
  });
}
