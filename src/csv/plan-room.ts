import type { Caller } from '../operations/define.js';
import { planUsage } from '../plans/usage.js';
import type { Services } from '../services.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { type RowInput, readRow } from './cells.js';
import { type HeaderMapping, mapHeaders } from './headers.js';
import type { CsvKindSpec } from './kinds.js';
import { CsvFileError, type CsvSource, parseCsvFile } from './source.js';
import { findTarget } from './targets.js';

/** The file would create more records than the plan has room for; nothing was imported. */
export class PlanRoomError extends CsvFileError {}

/**
 * Refuses up front, before any row is written, a file that would create more records than the
 * workspace's plan has room for, saying how many would fit: a sandbox import of 5,000 rows should
 * not reject 2,500 of them one by one at the cap. Files that fit (the usual case) cost one read of
 * the usage counters; otherwise the rows are matched against existing records, without writing,
 * to count the creates exactly (rows that update, and repeats of a key in the file, take no room).
 */
export async function checkPlanRoom(
  services: Services,
  caller: Caller,
  ws: WorkspaceDb,
  spec: CsvKindSpec,
  options: { file: string; map: Map<string, string>; source: CsvSource },
  total: number,
): Promise<void> {
  const usage = await planUsage(
    services.store.db,
    services,
    { id: caller.workspaceId, plan: caller.plan },
    caller.principalId,
    services.clock.now().toISOString(),
  );
  const line = usage.find((entry) => entry.resource === spec.kind.table);
  if (!line) return;
  const room = Math.max(0, line.cap - line.used);
  if (total <= room) return;
  let creates = 0;
  const seen = new Set<string>();
  let header: string[] | undefined;
  let mapping: HeaderMapping | undefined;
  for await (const cells of parseCsvFile(options.file, options.source) as AsyncIterable<string[]>) {
    if (!header) {
      header = cells.map((cell) => cell.trim());
      mapping = mapHeaders(spec, header, options.map);
      continue;
    }
    if (cells.every((cell) => cell.trim() === '')) continue;
    let input: RowInput;
    let target: string | undefined;
    try {
      input = readRow(mapping!.targets, cells, spec.integers);
      target = await findTarget(ws, spec, input);
    } catch {
      continue; // a row that will be rejected takes no room
    }
    if (target) continue;
    const unique = spec.kind.unique ? input.fields[spec.kind.unique] : undefined;
    const key = typeof unique === 'string' ? unique.trim().toLowerCase() : (input.id ?? null);
    if (key !== null) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    creates++;
  }
  if (creates <= room) return;
  const n = (value: number) => value.toLocaleString('en-US');
  throw new PlanRoomError(
    `${options.file} would create ${n(creates)} ${spec.kind.table}, but the ${caller.plan} plan allows ` +
      `${n(line.cap)} and ${n(line.used)} are used: room for ${n(room)} more. Nothing was imported. ` +
      `Import at most ${n(room)} new rows (split the file), or ask the workspace's billing owner to move it to a larger plan`,
  );
}
