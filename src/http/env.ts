import type { Context } from 'hono';
import type { Format, ResponseMeta } from '../answer/envelope.js';
import type { Rendered } from '../answer/render.js';
import type { Caller } from '../operations/define.js';
import { idempotencyKeyOf } from './request.js';

/** The Hono environment of the HTTP surface; transports mounted on it (MCP, OAuth) share it. */
export type HttpEnv = {
  Variables: {
    requestId: string;
    format: Format;
    operationName: string | null;
    rateLimitHeaders: Record<string, string> | null;
    /** Who the request authenticated as, once known: its workspace and actor go into the log line. */
    caller: Caller | null;
    /** The client went away before its request was read in full (logged as status 499). */
    aborted: boolean;
  };
};

/** The answer's bytes, with the headers every answer carries. */
export function respond(c: Context<HttpEnv>, rendered: Rendered): Response {
  return new Response(rendered.body, {
    status: rendered.status,
    headers: {
      ...c.get('rateLimitHeaders'),
      ...rendered.headers,
      'x-request-id': c.get('requestId'),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

export function metaOf(c: {
  req: { header: (name: string) => string | undefined };
  get: <K extends keyof HttpEnv['Variables']>(key: K) => HttpEnv['Variables'][K];
}): ResponseMeta {
  return {
    format: c.get('format'),
    requestId: c.get('requestId'),
    // Every answer echoes the key it was sent with, refusals included.
    idempotencyKey: idempotencyKeyOf(c),
    operationName: c.get('operationName'),
  };
}
