import { normaliseDomain } from '../companies/company.js';
import { AppError, isAppError } from '../errors.js';
import type { IdPrefix, IdSource } from '../ids.js';
import { callOperation } from '../operations/call.js';
import type { AnyOperation, Caller, OperationResult } from '../operations/define.js';
import { findOperation } from '../operations/registry.js';
import type { Progress } from '../progress.js';
import { findLiveBy, findRecord } from '../records/records.repository.js';
import type { Services } from '../services.js';
import { scopeTo, type WorkspaceDb } from '../store/scoped.js';
import { CellError, type RowInput, readRow } from './cells.js';
import { type HeaderMapping, mapHeaders } from './headers.js';
import { CSV_SPECS, type CsvKind, type CsvKindSpec, type RefColumn } from './kinds.js';
import { checkPlanRoom } from './plan-room.js';
import { CsvFileError, type CsvSource, parseCsvFile } from './source.js';
import { findTarget } from './targets.js';

type RowOutcome = 'created' | 'updated' | 'unchanged' | 'proposed' | 'rejected' | 'empty';

export interface RejectedRow {
  /** The record's number in the file, the header being row 1 (as a spreadsheet shows it). */
  row: number;
  error: string;
  cells: string[];
}

interface ImportReport {
  header: string[];
  mapping: HeaderMapping;
  rows: number;
  counts: Record<RowOutcome, number>;
  /** Stamped on every row's audit entries: `operations.revert {"operation_id"}` undoes the import. */
  operationId: string;
}

/**
 * The server's id source, except that a record created for a row whose id cell names no record of
 * this workspace gets that id: files exported elsewhere keep their ids, so the references between
 * them (contacts → companies, deals → contacts) stay intact and a re-import updates instead of
 * duplicating. Ids are per workspace (every key begins with workspace_id), so this reaches no one else.
 */
function preferringIds(ids: IdSource) {
  let preferred: { prefix: IdPrefix; id: string } | undefined;
  const source: IdSource = {
    next(prefix) {
      if (preferred?.prefix !== prefix) return ids.next(prefix);
      const { id } = preferred;
      preferred = undefined;
      return id;
    },
  };
  return {
    source,
    prefer: (prefix: IdPrefix, id: string | undefined) => {
      preferred = id === undefined ? undefined : { prefix, id };
    },
  };
}

/** Reads the whole file once before anything is written: a malformed CSV changes nothing. */
async function countRecords(file: string, source: CsvSource): Promise<number> {
  let records = 0;
  try {
    for await (const _ of parseCsvFile(file, source)) records++;
  } catch (error) {
    throw new CsvFileError(`${file} is not valid CSV: ${(error as Error).message}`);
  }
  if (records === 0) throw new CsvFileError(`${file} is empty: it needs a header row`);
  return records - 1;
}

/**
 * Imports one CSV file row by row through the same operations as the HTTP API: each row is
 * validated by the operation's schema and applied in its own transaction with its audit row, so a
 * bad row is rejected whole (reported through `onReject`) and never stops or half-applies another.
 *
 * A row updates the record its `id` names in this workspace, else the live record with its email
 * (contacts) or domain (companies), else it creates a record: re-importing a file changes nothing.
 */
export async function importCsv(
  services: Services,
  caller: Caller,
  options: { kind: CsvKind; file: string; map: Map<string, string>; source: CsvSource },
  progress: Progress,
  onReject: (rejected: RejectedRow) => void | Promise<void>,
  onHeader: (header: string[], mapping: HeaderMapping) => void | Promise<void> = () => {},
): Promise<ImportReport> {
  const spec = CSV_SPECS[options.kind];
  const total = await countRecords(options.file, options.source);
  const ids = preferringIds(services.ids);
  const run: ImportRun = {
    services: { ...services, ids: ids.source },
    prefer: ids.prefer,
    ws: scopeTo(services.store.db, services.store.dialect, caller.workspaceId),
    caller,
    spec,
    refCache: new Map(),
    operationId: services.ids.next('op'),
  };
  await checkPlanRoom(run.services, caller, run.ws, spec, options, total);
  const counts: Record<RowOutcome, number> = {
    created: 0,
    updated: 0,
    unchanged: 0,
    proposed: 0,
    rejected: 0,
    empty: 0,
  };
  let header: string[] | undefined;
  let mapping: HeaderMapping | undefined;
  let row = 0;

  const parser = parseCsvFile(options.file, options.source);
  for await (const cells of parser as AsyncIterable<string[]>) {
    row++;
    if (!header) {
      header = cells.map((cell) => cell.trim());
      mapping = mapHeaders(spec, header, options.map);
      await onHeader(header, mapping);
      progress.start(options.kind, total);
      continue;
    }
    let outcome: RowOutcome;
    try {
      // A row of empty cells (what spreadsheets leave behind) is skipped, not rejected.
      if (cells.every((cell) => cell.trim() === '')) {
        counts.empty++;
        progress.advance(1);
        continue;
      }
      if (cells.length > header.length && cells.slice(header.length).some((cell) => cell.trim() !== '')) {
        throw new CellError(`the row has ${cells.length} values but the header has ${header.length} columns`);
      }
      const input = readRow(mapping!.targets, cells, spec.integers);
      outcome = await applyRow(run, input, `import ${options.file} row ${row}`);
    } catch (error) {
      if (!(error instanceof CellError) && !isAppError(error)) {
        progress.finish();
        throw new Error(
          `row ${row}: ${(error as Error).message} (rows before it are imported; nothing of this row is)`,
        );
      }
      const message = isAppError(error) ? `${error.code}: ${error.message}` : error.message;
      await onReject({ row, error: message, cells });
      outcome = 'rejected';
    }
    counts[outcome]++;
    progress.advance(1);
  }
  progress.finish();
  return {
    header: header ?? [],
    mapping: mapping ?? { targets: [], unknown: [] },
    rows: row - 1,
    counts,
    operationId: run.operationId,
  };
}

interface ImportRun {
  services: Services;
  prefer: (prefix: IdPrefix, id: string | undefined) => void;
  ws: WorkspaceDb;
  caller: Caller;
  spec: CsvKindSpec;
  /** natural key → id of the referenced records, for the length of one import. */
  refCache: Map<string, string | undefined>;
  operationId: string;
}

async function applyRow(run: ImportRun, input: RowInput, reason: string): Promise<RowOutcome> {
  const { ws, spec } = run;
  const { kind } = spec;
  for (const { ref, value } of input.refs) await resolveRef(ws, ref, value, input, run.refCache);
  const target = await findTarget(ws, spec, input);
  const operation = findOperation(`${kind.table}.${target ? 'update' : 'create'}`)!;
  const keepId =
    !target && input.id !== undefined && new RegExp(`^${kind.prefix}_[0-9a-z]{16}$`).test(input.id);
  let result: OperationResult;
  try {
    run.prefer(kind.prefix, keepId ? input.id : undefined);
    result = await callRow(
      run,
      operation,
      target ? { ...input.fields, [kind.idField]: target } : input.fields,
      reason,
    );
  } finally {
    run.prefer(kind.prefix, undefined);
  }
  if (result.outcome === 'denied' && result.policy?.reason_code === 'contact.sensitive_field' && target) {
    // What the policy asks of an agent (and /help says): a sensitive change goes to a person as a
    // proposal. The import does that for the row, which then counts as proposed.
    result = await callRow(
      run,
      findOperation('contacts.propose_update')!,
      { contact_id: target, changes: input.fields },
      reason,
    );
  }
  if (result.outcome === 'proposed') return 'proposed';
  if (result.outcome === 'denied') {
    throw new AppError(
      'forbidden',
      `${result.policy?.reason_code ?? 'denied'}: ${result.summary ?? 'the workspace policy denied this change'}`,
      'see the audit log',
    );
  }
  if (result.status === 201) return 'created';
  return result.meta?.includes('# unchanged') ? 'unchanged' : 'updated';
}

/**
 * Runs one operation for a row through the preamble every surface shares, as the token's caller
 * (authenticated once, by the CLI). The operator's own import counts against no request rate limit:
 * the plan's caps and budget still apply, in the executor.
 */
function callRow(
  run: ImportRun,
  operation: AnyOperation,
  input: Record<string, unknown>,
  reason: string,
): Promise<OperationResult> {
  return callOperation(run.services, operation, input, {
    credentials: { caller: run.caller },
    rateLimit: 'surface',
    requestId: run.services.ids.next('req'),
    operationId: run.operationId,
    idempotencyKey: null,
    toolName: null,
    reason,
    clientIp: 'cli',
  });
}

/**
 * Fills a reference from its natural key (company_domain → company_id) unless the row's id
 * column already names a live record of this workspace.
 */
async function resolveRef(
  ws: WorkspaceDb,
  ref: RefColumn,
  value: string,
  input: RowInput,
  cache: Map<string, string | undefined>,
) {
  const given = input.fields[ref.field];
  if (typeof given === 'string' && (await findRecord(ws, ref.table, given))) return;
  const key = ref.key === 'domain' ? normaliseDomain(value) : value.trim().toLowerCase();
  const cacheKey = `${ref.table}:${key}`;
  if (!cache.has(cacheKey)) cache.set(cacheKey, (await findLiveBy(ws, ref.table, ref.key, key))?.id);
  const id = cache.get(cacheKey);
  if (!id) {
    throw new AppError(
      'invalid_input',
      `${ref.column}: no live ${ref.kind} with ${ref.key} ${key} in this workspace`,
      `import the ${ref.table} first, or empty the ${ref.column} cell`,
    );
  }
  input.fields[ref.field] = id;
}
