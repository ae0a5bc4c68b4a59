import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import pino from 'pino';
import { createApp } from '../app.js';
import { authenticate } from '../auth/tokens.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import type { Caller, Scope } from '../operations/define.js';
import type { Services } from '../services.js';
import { connectStore, migrateToLatest } from '../store/connect.js';
import { DatabaseDamagedError, EXIT_DAMAGED } from '../store/startup-check.js';
import { findWorkspace } from '../workspaces/workspaces.repository.js';

/**
 * Exit codes of every command: 0 done; 1 failed; 2 usage (bad flag, unknown command or kind,
 * missing file, invalid configuration); 3 done, but some input rows were rejected (import); 4 the
 * database is damaged (serve refuses to start, doctor found damage); 5 `serve` could not listen
 * (the port is in use or not allowed).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, rejected: 3, damaged: EXIT_DAMAGED, listen: 5 } as const;

/** A failure the user can fix from the message alone; carries its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

export const usage = (message: string) => new CliError(message, EXIT.usage);

/** A damaged database ends the command with its own exit code and the recovery steps, no stack. */
export function refuseDamaged(error: unknown): never {
  if (error instanceof DatabaseDamagedError) throw new CliError(error.message, EXIT.damaged);
  throw error;
}

export function cliConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw usage(error.message);
    throw error;
  }
}

/** The services an operation needs, on a migrated database; close() releases the database. */
export async function openServices(config: Config): Promise<{ services: Services; close(): Promise<void> }> {
  const store = connectStore(config);
  try {
    await migrateToLatest(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  // Operations log only their own failures; a command's output is its own.
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const { services } = createApp({ config, store, logger });
  return { services, close: () => store.close() };
}

/** 100000, 100_000, 100k, 1m, 1.5m → a whole number ≥ 0. */
export function parseCount(flag: string) {
  return (value: string): number => {
    const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(value.replace(/_/g, '').trim());
    const factor = { '': 1, k: 1_000, m: 1_000_000 }[(match?.[2] ?? '').toLowerCase() as '' | 'k' | 'm'];
    const n = match ? Math.round(Number(match[1]) * factor) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new InvalidArgumentError(`${flag} takes a whole number such as 5000, 100k or 1m.`);
    }
    return n;
  };
}

export interface AccessOptions {
  workspace?: string;
  token?: string;
  tokenFile?: string;
}

interface Access {
  workspaceId: string;
  /** The token's principal, or null when the command acts on --workspace alone. */
  caller: Caller | null;
}

/** The token from --token, --token-file or AGENTCRM_TOKEN (in that order), if any. */
function tokenFrom(options: AccessOptions): string | undefined {
  if (options.token) return options.token.trim();
  if (options.tokenFile) {
    try {
      return readFileSync(options.tokenFile, 'utf8').trim();
    } catch (error) {
      throw usage(`cannot read --token-file ${options.tokenFile}: ${(error as Error).message}`);
    }
  }
  return process.env.AGENTCRM_TOKEN?.trim() || undefined;
}

/**
 * Which workspace a command works on, and as whom. A token is checked exactly as the HTTP API
 * checks it (unknown, revoked, expired, scopes); --workspace alone is for operators with direct
 * access to the database, and only where `allowWorkspaceOnly` says so.
 */
export async function resolveAccess(
  services: Services,
  options: AccessOptions,
  scope: Scope,
  allowWorkspaceOnly: boolean,
): Promise<Access> {
  const token = tokenFrom(options);
  if (token) {
    let caller: Caller;
    try {
      caller = await authenticate(services, `Bearer ${token}`);
    } catch (error) {
      if (isAppError(error)) throw new CliError(`the token was refused: ${error.message}`, EXIT.usage);
      throw error;
    }
    if (options.workspace && options.workspace !== caller.workspaceId) {
      throw usage(`the token belongs to ${caller.workspaceId}, not to --workspace ${options.workspace}`);
    }
    if (!caller.scopes.includes(scope)) {
      throw usage(
        `this needs a token with the ${scope} scope; this one has ${caller.scopes.join(', ') || 'none'}`,
      );
    }
    return { workspaceId: caller.workspaceId, caller };
  }
  if (!options.workspace || !allowWorkspaceOnly) {
    throw usage(
      allowWorkspaceOnly
        ? 'say which workspace: --workspace wrk_… or --token ck_… (or AGENTCRM_TOKEN)'
        : 'this writes as an agent or person, so it needs their token: --token ck_…, --token-file <path> or AGENTCRM_TOKEN ' +
            '(agentcrm seed and POST /agent-bootstrap print one)',
    );
  }
  if (!(await findWorkspace(services.store.db, options.workspace))) {
    throw usage(`workspace ${options.workspace} does not exist in this database`);
  }
  return { workspaceId: options.workspace, caller: null };
}
