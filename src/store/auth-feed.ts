import pg from 'pg';

/** The channel the triggers of migration 0012 notify on; the payload is the changed table's schema. */
export const AUTH_CHANNEL = 'agentcrm_auth';
/** How long a round trip through the notification queue may take before the listener counts as lost. */
const BARRIER_TIMEOUT_MS = 1_000;
/** A silent listener (a dead TCP peer raises no error) is found by a round trip this often. */
const HEALTH_EVERY_MS = 5_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

/**
 * What other processes changed in authentication (tokens, memberships, plans), as PostgreSQL tells
 * this process. `version` moves on every such change and whenever the feed goes down or comes
 * back, so a cache that records it can tell whether anything may have changed since.
 */
export interface AuthFeed {
  /** True while this process is listening: only then may authentication be cached. */
  readonly live: boolean;
  readonly version: number;
  /**
   * Resolves once every change committed before the call has reached this process: a
   * notification of our own travels the queue behind them (PostgreSQL delivers notifications in
   * commit order). Resolves at once when not live; on a timeout the feed counts as lost.
   */
  barrier(): Promise<void>;
  close(): Promise<void>;
}

/**
 * LISTENs on a dedicated connection (never a pooled one: a pooled client is handed to queries and
 * released, and a LISTEN belongs to its session). A lost connection drops everything cached (the
 * version moves, `live` turns false) until the feed listens again, because notifications sent
 * meanwhile are lost.
 */
export function listenForAuthChanges(url: string, onError: (error: unknown) => void): AuthFeed {
  let client: pg.Client | null = null;
  let live = false;
  let version = 0;
  let closed = false;
  let schema = '';
  let retryMs = RECONNECT_MIN_MS;
  let sequence = 0;
  const waiting = new Map<string, () => void>();
  let reconnect: NodeJS.Timeout | undefined;

  /** `dead` is the connection that failed; a stale report about an older one is ignored. */
  const lost = (dead: pg.Client, error: unknown) => {
    if (client !== dead) return;
    if (!closed) onError(error);
    client = null;
    if (live) version++;
    live = false;
    for (const resolve of waiting.values()) resolve();
    waiting.clear();
    dead.removeAllListeners();
    dead.on('error', () => {});
    dead.end().catch(() => {});
    if (closed || reconnect) return;
    reconnect = setTimeout(() => {
      reconnect = undefined;
      void connect();
    }, retryMs).unref();
    retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: url, keepAlive: true });
    client = next;
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('auth listener connection ended')));
    next.on('notification', (message) => {
      if (message.channel !== AUTH_CHANNEL || !message.payload) return;
      if (message.payload === schema) version++;
      else waiting.get(message.payload)?.();
    });
    try {
      await next.connect();
      // Named with the process id, so an operator (or a test) can find this process's listener.
      await next.query(`set application_name = 'agentcrm auth listener ${process.pid}'`);
      schema = (await next.query<{ schema: string }>('select current_schema() as schema')).rows[0]!.schema;
      await next.query(`listen ${AUTH_CHANNEL}`);
      if (client !== next || closed) return;
      // Anything read before this point may have missed a notification: it is dropped.
      version++;
      live = true;
      retryMs = RECONNECT_MIN_MS;
    } catch (error) {
      lost(next, error);
    }
  };

  const barrier = async (): Promise<void> => {
    const current = client;
    if (!live || !current) return;
    const nonce = `${schema} barrier ${process.pid}.${++sequence}`;
    let timer: NodeJS.Timeout | undefined;
    const echoed = new Promise<boolean>((resolve) => {
      waiting.set(nonce, () => resolve(true));
      timer = setTimeout(() => resolve(false), BARRIER_TIMEOUT_MS).unref();
    });
    current.query('select pg_notify($1, $2)', [AUTH_CHANNEL, nonce]).catch(() => {});
    const ok = await echoed;
    clearTimeout(timer);
    waiting.delete(nonce);
    if (!ok) lost(current, new Error('auth listener did not echo within 1 s'));
  };

  const health = setInterval(() => void barrier(), HEALTH_EVERY_MS).unref();
  void connect();

  return {
    get live() {
      return live;
    },
    get version() {
      return version;
    },
    barrier,
    close: async () => {
      closed = true;
      clearInterval(health);
      clearTimeout(reconnect);
      const last = client;
      client = null;
      live = false;
      last?.removeAllListeners();
      last?.on('error', () => {});
      await last?.end().catch(() => {});
    },
  };
}
