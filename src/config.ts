import path from 'node:path';
import { z } from 'zod';
import { planOverridesSchema, resolvePlans } from './plans/plans.js';
import { decodeKey, readKeyFile } from './secrets/key-setting.js';

const durationSeconds = z.coerce.number().int().positive();

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8787),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('agentcrm <no-reply@agentcrm.localhost>'),
    /** FULL survives power loss; NORMAL (in WAL) survives a process crash but may lose the last commits on power loss. */
    SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
    /** Start-up check of the SQLite file: bounded (on), the whole file (full), or none (off: emergencies only). */
    SQLITE_STARTUP_CHECK: z.enum(['on', 'full', 'off']).default('on'),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(4 * 1024 * 1024),
    TOKEN_IDLE_TTL_SECONDS: durationSeconds.default(30 * 24 * 3600),
    TOKEN_MAX_TTL_SECONDS: durationSeconds.default(365 * 24 * 3600),
    SHUTDOWN_GRACE_SECONDS: durationSeconds.default(10),
    /** On SIGTERM, /readyz answers 503 this long (requests still served) before the listener closes. */
    DRAIN_SECONDS: z.coerce.number().int().min(0).max(600).default(5),
    /** Connections each process opens to PostgreSQL for requests (plus 40% of it for request counters). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
    /** Serves /metrics on the main port to a caller sending Authorization: Bearer <this>. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Serves /metrics without a token on a listener of its own, bound to METRICS_HOST. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** An idempotency key whose attempt has not finished this long is taken over by a retry. */
    IDEMPOTENCY_LOCK_SECONDS: durationSeconds.default(30),
    /** Requests handled at once; more are answered 503 with Retry-After (load shedding). */
    MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(512),
    /** Slow clients: a connection must send all its headers within this, and the whole request within the next. */
    HTTP_HEADERS_TIMEOUT_SECONDS: durationSeconds.default(15),
    HTTP_REQUEST_TIMEOUT_SECONDS: durationSeconds.default(60),
    /** A background job whose worker stops renewing its lock this long is taken over by another. */
    JOB_LOCK_SECONDS: durationSeconds.default(60),
    /** How often the retention sweeper runs a pass (docs/lifecycle.md); 0 turns the background sweeper off. */
    RETENTION_SWEEP_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3600)
      .default(3600),
    /** Rows the sweeper removes per table in one pass; a pass that hits it runs again at once. */
    RETENTION_SWEEP_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
    /** Change-feed events (and their finished webhook deliveries) older than this are purged. */
    EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
    /** Sign-in codes: lifetime, wrong tries allowed per email within the failure window, and throttles. */
    LOGIN_CODE_TTL_SECONDS: durationSeconds.default(600),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    LOGIN_FAILURE_WINDOW_SECONDS: durationSeconds.default(900),
    LOGIN_THROTTLE_WINDOW_SECONDS: durationSeconds.default(900),
    LOGIN_REQUESTS_PER_EMAIL: z.coerce.number().int().min(1).default(5),
    LOGIN_REQUESTS_PER_IP: z.coerce.number().int().min(1).default(20),
    LOGIN_VERIFIES_PER_IP: z.coerce.number().int().min(1).default(30),
    STEP_UP_CODE_TTL_SECONDS: durationSeconds.default(600),
    INVITE_TTL_SECONDS: durationSeconds.default(7 * 24 * 3600),
    /** Requests per minute per client IP on routes that need no token (signup, sign-in). */
    RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    /** Agent sign-ups (workspaces created by POST /agent-bootstrap) per client address per UTC day. */
    SIGNUP_DAILY_LIMIT_PER_IP: z.coerce.number().int().min(1).default(20),
    /** Take the client address from the last X-Forwarded-For entry (set when behind one reverse proxy). */
    TRUST_PROXY: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((value) => value === 'true' || value === '1'),
    /** Which tools /mcp lists (docs/mcp.md): the core (default), `request` only, every typed tool, or both. */
    MCP_TOOLS: z.enum(['core', 'both', 'request', 'typed']).default('core'),
    /** Life of an access token handed to an OAuth client (an MCP connector); refresh renews it. */
    OAUTH_ACCESS_TOKEN_TTL_SECONDS: durationSeconds.default(3600),
    /** Development and tests only: OAuth client metadata documents on loopback, over http too (docs/mcp.md). */
    OAUTH_CLIENT_METADATA_ALLOW_LOOPBACK: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((value) => value === 'true' || value === '1'),
    /** Lets webhooks point at loopback (127.0.0.1, ::1, localhost), over http too: for development and tests only. */
    WEBHOOKS_ALLOW_LOOPBACK: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((value) => value === 'true' || value === '1'),
    /** How long one webhook delivery may take before it counts as failed (and is retried). */
    WEBHOOKS_TIMEOUT_SECONDS: durationSeconds.default(10),
    /** JSON: per-plan overrides of caps and request rate, e.g. {"sandbox":{"contacts":5000}}. */
    PLAN_OVERRIDES: planOverridesSchema.default(resolvePlans({})),
    /** The server key that seals stored secrets (hex or base64, at least 32 bytes); see docs/secrets.md. */
    SECRETS_KEY: z.string().optional(),
    /** A file holding that key; it must lie outside DATA_DIR. */
    SECRETS_KEY_FILE: z.string().optional(),
    /** The key being rotated away from: still opens what it sealed, never seals. */
    SECRETS_KEY_PREVIOUS: z.string().optional(),
  })
  .transform((env, ctx) => {
    const dataDir = path.resolve(env.DATA_DIR);
    const key = (name: string, value: Buffer | string | undefined) => {
      if (typeof value !== 'string') return value;
      ctx.addIssue({ code: 'custom', path: [name], message: value });
      return undefined;
    };
    if (env.SECRETS_KEY && env.SECRETS_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRETS_KEY_FILE'],
        message: 'set SECRETS_KEY or SECRETS_KEY_FILE, not both',
      });
    }
    const secretsKey =
      key('SECRETS_KEY', env.SECRETS_KEY ? decodeKey(env.SECRETS_KEY) : undefined) ??
      key('SECRETS_KEY_FILE', env.SECRETS_KEY_FILE ? readKeyFile(env.SECRETS_KEY_FILE, dataDir) : undefined);
    const secretsKeyPrevious = key(
      'SECRETS_KEY_PREVIOUS',
      env.SECRETS_KEY_PREVIOUS ? decodeKey(env.SECRETS_KEY_PREVIOUS) : undefined,
    );
    if (secretsKeyPrevious && !secretsKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRETS_KEY_PREVIOUS'],
        message: 'needs SECRETS_KEY or SECRETS_KEY_FILE: the previous key only opens, the current one seals',
      });
    }
    return {
      port: env.PORT,
      host: env.HOST,
      dataDir,
      databaseUrl: env.DATABASE_URL,
      publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
      logLevel: env.LOG_LEVEL,
      smtpUrl: env.SMTP_URL,
      mailFrom: env.MAIL_FROM,
      sqliteSynchronous: env.SQLITE_SYNCHRONOUS,
      sqliteStartupCheck: env.SQLITE_STARTUP_CHECK,
      drainSeconds: env.DRAIN_SECONDS,
      databasePoolSize: env.DATABASE_POOL_SIZE,
      metricsToken: env.METRICS_TOKEN,
      metricsPort: env.METRICS_PORT,
      metricsHost: env.METRICS_HOST,
      maxBodyBytes: env.MAX_BODY_BYTES,
      tokenIdleTtlSeconds: env.TOKEN_IDLE_TTL_SECONDS,
      tokenMaxTtlSeconds: env.TOKEN_MAX_TTL_SECONDS,
      shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS,
      jobLockSeconds: env.JOB_LOCK_SECONDS,
      retentionSweepSeconds: env.RETENTION_SWEEP_SECONDS,
      retentionSweepBatch: env.RETENTION_SWEEP_BATCH,
      eventsRetentionDays: env.EVENTS_RETENTION_DAYS,
      maxInFlight: env.MAX_IN_FLIGHT,
      headersTimeoutSeconds: env.HTTP_HEADERS_TIMEOUT_SECONDS,
      requestTimeoutSeconds: Math.max(env.HTTP_REQUEST_TIMEOUT_SECONDS, env.HTTP_HEADERS_TIMEOUT_SECONDS),
      idempotencyLockSeconds: env.IDEMPOTENCY_LOCK_SECONDS,
      loginCodeTtlSeconds: env.LOGIN_CODE_TTL_SECONDS,
      loginMaxFailures: env.LOGIN_MAX_FAILURES,
      loginFailureWindowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS,
      loginThrottleWindowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS,
      loginRequestsPerEmail: env.LOGIN_REQUESTS_PER_EMAIL,
      loginRequestsPerIp: env.LOGIN_REQUESTS_PER_IP,
      loginVerifiesPerIp: env.LOGIN_VERIFIES_PER_IP,
      stepUpCodeTtlSeconds: env.STEP_UP_CODE_TTL_SECONDS,
      inviteTtlSeconds: env.INVITE_TTL_SECONDS,
      rateLimitIpPerMinute: env.RATE_LIMIT_IP_PER_MINUTE,
      signupDailyLimitPerIp: env.SIGNUP_DAILY_LIMIT_PER_IP,
      trustProxy: env.TRUST_PROXY,
      plans: env.PLAN_OVERRIDES,
      webhooksAllowLoopback: env.WEBHOOKS_ALLOW_LOOPBACK,
      oauthClientMetadataAllowLoopback: env.OAUTH_CLIENT_METADATA_ALLOW_LOOPBACK,
      webhooksTimeoutSeconds: env.WEBHOOKS_TIMEOUT_SECONDS,
      mcpTools: env.MCP_TOOLS,
      oauthAccessTokenTtlSeconds: env.OAUTH_ACCESS_TOKEN_TTL_SECONDS,
      secretsKey,
      secretsKeyPrevious,
    };
  });

export type Config = Readonly<z.output<typeof schema>>;

/** Every environment variable the configuration reads, with its schema (`serve --help` lists them). */
export const settingSchemas: Readonly<Record<string, z.ZodType>> = schema.in.shape;

export class ConfigError extends Error {}

/**
 * Reads the configuration once from the environment. Empty strings count as unset, so
 * `DATABASE_URL= npm start` falls back to SQLite instead of failing.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(schema.in.shape);
  const input = Object.fromEntries(known.map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}

/** A configuration for tests and tools: defaults plus overrides, no environment. */
export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  // In-process calls have no client address, so every sign-up of a test app shares one daily
  // count; tests of the cap set it themselves.
  return loadConfig({ LOG_LEVEL: 'silent', SIGNUP_DAILY_LIMIT_PER_IP: '100000', ...overrides });
}
