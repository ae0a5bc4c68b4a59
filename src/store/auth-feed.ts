import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { AuthFeed } from './types.js';

/** The channel the triggers of migration 0012 notify on; the payload is the changed table's schema. */
export const AUTH_CHANNEL = 'agentcrm_auth';
/** How long a barrier waits for its echo and the other processes' acknowledgements. */
const BARRIER_TIMEOUT_MS = 1_000;
/** A silent listener (a dead TCP peer raises no error) is found by a barrier this often. */
const HEALTH_EVERY_MS = 5_000;
/** A process not heard from for this long (three health barriers) is no longer waited for. */
const PEER_TTL_MS = 3 * HEALTH_EVERY_MS;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

interface Barrier {
  echoed: boolean;
  awaiting: Set<string>;
  settle(): void;
}

/**
 * LISTENs on a dedicated connection (never a pooled one: a pooled client is handed to queries and
 * released, and a LISTEN belongs to its session). A lost connection drops everything cached (the
 * version moves, `live` turns false) until the feed listens again, because notifications sent
 * meanwhile are lost.
 *
 * Payloads on the channel, each beginning with the schema (apps in other schemas ignore them):
 * `<schema>` a change (from the triggers); `<schema> barrier <process> <n>`; `<schema> ack
 * <process> <n> <acknowledging process>`. Processes learn of each other from their barriers (one
 * when they start listening, then every HEALTH_EVERY_MS) and acknowledgements.
 */
export function listenForAuthChanges(url: string, onError: (error: unknown) => void): AuthFeed {
  const self = randomBytes(6).toString('hex');
  let client: pg.Client | null = null;
  let live = false;
  let version = 0;
  let closed = false;
  let schema = '';
  let retryMs = RECONNECT_MIN_MS;
  let sequence = 0;
  const barriers = new Map<string, Barrier>();
  const peers = new Map<string, number>();
  let reconnect: NodeJS.Timeout | undefined;

  const notify = (on: pg.Client, payload: string) =>
    on.query('select pg_notify($1, $2)', [AUTH_CHANNEL, `${schema} ${payload}`]).catch(() => {});

  /** `dead` is the connection that failed; a stale report about an older one is ignored. */
  const lost = (dead: pg.Client, error: unknown) => {
    if (client !== dead) return;
    if (!closed) onError(error);
    client = null;
    if (live) version++;
    live = false;
    for (const barrier of barriers.values()) barrier.settle();
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

  const heard = (on: pg.Client, payload: string) => {
    if (payload === schema) {
      version++;
      return;
    }
    if (!payload.startsWith(`${schema} `)) return;
    const [kind, from, n, acker] = payload.slice(schema.length + 1).split(' ');
    if (kind === 'barrier' && from === self) {
      const barrier = barriers.get(n!);
      if (barrier) barrier.echoed = true;
      barrier?.settle();
    } else if (kind === 'barrier' && from) {
      // Everything queued before this barrier has been handled (version moved): say so.
      peers.set(from, Date.now());
      void notify(on, `ack ${from} ${n} ${self}`);
    } else if (kind === 'ack' && from === self && acker) {
      peers.set(acker, Date.now());
      const barrier = barriers.get(n!);
      barrier?.awaiting.delete(acker);
      barrier?.settle();
    }
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: url, keepAlive: true });
    client = next;
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('auth listener connection ended')));
    next.on('notification', (message) => {
      if (message.channel === AUTH_CHANNEL && message.payload) heard(next, message.payload);
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
      void barrier(); // introduces this process to the others
    } catch (error) {
      lost(next, error);
    }
  };

  const barrier = async (): Promise<void> => {
    const current = client;
    if (!live || !current) return;
    const n = String(++sequence);
    const now = Date.now();
    const awaiting = new Set<string>();
    for (const [peer, seen] of peers) if (now - seen < PEER_TTL_MS) awaiting.add(peer);
    let timer: NodeJS.Timeout | undefined;
    const entry: Barrier = { echoed: false, awaiting, settle: () => {} };
    await new Promise<void>((resolve) => {
      entry.settle = () => {
        if (!live || (entry.echoed && entry.awaiting.size === 0)) resolve();
      };
      barriers.set(n, entry);
      timer = setTimeout(resolve, BARRIER_TIMEOUT_MS).unref();
      void notify(current, `barrier ${self} ${n}`);
    });
    clearTimeout(timer);
    barriers.delete(n);
    // A process that did not answer is gone or stuck: not waited for again until heard from.
    for (const peer of entry.awaiting) peers.delete(peer);
    if (!entry.echoed) lost(current, new Error('auth listener did not hear its own barrier within 1 s'));
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
