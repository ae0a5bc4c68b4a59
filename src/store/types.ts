import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from './schema.js';

// The store as the rest of the code knows it, types only: a type import of Store (Services holds
// one) or of the dialect's capabilities loads no database code. connect.ts, dialect.ts,
// auth-feed.ts and search-index.ts implement them.

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DialectCapabilities;
  /** Where the SQLite file lives; undefined on PostgreSQL. */
  readonly sqlitePath: string | undefined;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  /**
   * Resolves when every commit made so far is on disk. Await it before telling anyone a write
   * happened (the HTTP layer does, for every answer). Immediate on PostgreSQL, whose COMMIT returns
   * only once durable; on SQLite it is the group commit (src/store/group-commit.ts).
   */
  durable(): Promise<void>;
  /**
   * Where request counters are written (the per-token request rate on PostgreSQL): on PostgreSQL a
   * pool of its own whose commits do not wait for the WAL flush (`synchronous_commit = off`), as a
   * crash may lose the last fraction of a second of counts but nothing else; elsewhere `db`.
   */
  readonly countersDb: Kysely<Database>;
  /** SQLite's group commit counters (commits seen, flushes made, whether one is owed); else null. */
  durability(): { commits: number; flushes: number; pending: boolean } | null;
  /** Calls `listener` with each group-commit flush's duration in seconds; never on PostgreSQL. */
  onFlush(listener: (seconds: number) => void): void;
  /** PostgreSQL connection pools, as they are now (for metrics); empty on SQLite. */
  pools(): PoolUse[];
  /**
   * PostgreSQL: what any process changed in authentication, as the database notifies it (a
   * listening connection of its own, opened on the first call). Null on SQLite, where this process
   * is the only one that writes.
   */
  authChanges(onError?: (error: unknown) => void): AuthFeed | null;
  close(): Promise<void>;
}

export interface PoolUse {
  /** `main` (requests) or `counters` (request counters, see countersDb). */
  pool: string;
  max: number;
  /** Connections open, idle among them, and callers waiting for one. */
  total: number;
  idle: number;
  waiting: number;
}

/**
 * Everything that differs between SQLite and PostgreSQL lives behind these named capabilities,
 * so domain code never branches on the database.
 */
export interface DialectCapabilities {
  readonly name: 'sqlite' | 'postgres';
  /**
   * The value of `key` inside a JSON-text column as text, or NULL when absent or JSON null:
   * strings as themselves, other values as their JSON text (`5`, `1.5`, `true`), the same bytes
   * on both databases.
   */
  jsonText(column: string, key: string): RawBuilder<string | null>;
  /** The value of `key` as a number when it is a JSON number, else NULL. */
  jsonNumber(column: string, key: string): RawBuilder<number | null>;
  /** True when the JSON-text array column contains `value` as an element. */
  jsonArrayContains(column: string, value: string): RawBuilder<boolean>;
  /** lower() that folds ASCII letters only, as SQLite's does, whatever the column's collation. */
  lowerAscii(expression: RawBuilder<unknown>): RawBuilder<string>;
  /**
   * 1-based position of `needle` in `haystack`, 0 when absent. Constants are inlined (here and in
   * removeCharacters), so an expression built twice is the same SQL text — PostgreSQL matches a
   * GROUP BY expression to the select list by its text.
   */
  position(haystack: RawBuilder<unknown>, needle: string): RawBuilder<number>;
  /** Removes each of `characters` from the text. */
  removeCharacters(expression: RawBuilder<unknown>, characters: string): RawBuilder<string>;
  /**
   * Appended to a SELECT that picks work to claim: PostgreSQL locks the rows it returns and skips
   * rows another transaction holds (`FOR UPDATE … SKIP LOCKED`), so several processes take
   * different rows; SQLite has one writer at a time, so nothing is needed there.
   */
  skipLocked(alias: string): RawBuilder<unknown>;
  /**
   * A statement that holds a lock named by `key` until the transaction ends, so that transactions
   * taking the same key run their next steps one at a time (PostgreSQL: a transaction-scoped
   * advisory lock); null on SQLite, whose single writer already serialises every transaction.
   */
  transactionLock(key: string): RawBuilder<unknown> | null;
  /** Lifts (true) or restores (false) the audit log's append-only guard for this transaction. */
  auditPurge(on: boolean): RawBuilder<unknown>;
  /** Rows of a table with a search index whose document matches the plan (src/store/search-index.ts). */
  searchMatch(index: SearchIndex, workspaceId: string, match: SearchMatch): RawBuilder<boolean>;
}

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
   * Resolves once every change committed before the call has reached this process and every
   * other listening process: a notification of ours travels the queue behind those changes
   * (PostgreSQL delivers notifications in commit order), and each process acknowledges it after it
   * has handled everything before it. Gives up after 1 s (a process that did not answer is no
   * longer waited for until it is heard from again). Resolves at once when not live.
   */
  barrier(): Promise<void>;
  close(): Promise<void>;
}

/** A search index over a record table (search-index.ts): the fields its document is made of. */
export interface SearchIndex {
  /** The record table: it has workspace_id, id and deleted_at. */
  table: string;
  /** Typo-tolerant fields: their words go to the vocabulary. */
  fuzzy: readonly string[];
  /** Fields matched as substrings only. */
  text: readonly string[];
  /** Fields also indexed without ` +()-.` (phone numbers: `5550100` finds `+1 555-0100`). */
  digits: readonly string[];
}

/** What a row must match: every phrase, through its literal text or one of its corrections. */
export interface SearchMatch {
  phrases: readonly { literal: string; corrections: readonly string[] }[];
}
