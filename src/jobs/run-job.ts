import type { Kysely, Transaction } from 'kysely';
import { isAppError } from '../errors.js';
import { type BatchMeta, runBatchGroup, runBatchItem } from '../operations/batch.js';
import { newRun } from '../operations/context.js';
import type { AnyOperation, Caller } from '../operations/define.js';
import type { Services } from '../services.js';
import type { Database, JobsTable } from '../store/schema.js';
import { createMany, fastCreateFor, planChunk } from './fast-create.js';
import { saveProgress } from './jobs.repository.js';

/** Items per transaction: progress is saved with each chunk, so a restart resumes after it. */
const CHUNK = 500;
/** Per-item errors kept on the job (the counts are always complete). */
const MAX_ERRORS = 500;

export interface ItemError {
  index: number;
  code: string;
  message: string;
  hint?: string;
}

interface Tally {
  created: number;
  updated: number;
  /** Fields held for a human (policy hold_human_edited_fields), each in a proposal. */
  held?: number;
}

/** One item through the executor (operations/batch.ts), exactly as a single call would run it. */
async function runItem(
  services: Services,
  db: Kysely<Database> | Transaction<Database>,
  operation: AnyOperation,
  meta: BatchMeta,
  item: unknown,
  tally: Tally,
): Promise<ItemError | null> {
  const outcome = await runBatchItem(services, db, operation, item, meta);
  if ('refused' in outcome) return { index: -1, ...outcome.refused };
  const { result } = outcome;
  if (result.held) tally.held = (tally.held ?? 0) + result.held.length;
  if (result.status === 201) tally.created++;
  else if (result.outcome !== 'proposed') tally.updated++;
  return null;
}

const finalStatus = (done: number, failed: number) =>
  failed === 0 ? 'succeeded' : done === 0 ? 'failed' : 'partially_failed';

/**
 * Works through a claimed job from where it stopped, a chunk per transaction with its progress
 * saved in the same transaction — so after a crash no item is applied twice or skipped. A chunk
 * that hits an unexpected database error is retried one item per transaction, so one bad item
 * cannot hold back the others.
 */
export async function runJob(services: Services, job: JobsTable, worker: string): Promise<void> {
  const {
    item_operation: itemName,
    items,
    confirmed,
    reason = null,
  } = JSON.parse(job.input) as {
    item_operation: string;
    items: unknown[];
    confirmed?: boolean;
    reason?: string | null;
  };
  const itemOperation = services.executor.findOperation(itemName);
  const caller = JSON.parse(job.caller) as Caller;
  const errors = JSON.parse(job.errors) as ItemError[];
  const tally: Tally = JSON.parse(job.result ?? '{"created":0,"updated":0}');
  let position = job.done + job.failed;
  let { done, failed } = job;
  const now = () => services.clock.now();
  // A bulk delete's confirmed items stand behind an approval: they keep the per-item path.
  const fast = confirmed ? undefined : fastCreateFor(itemName);
  const meta: BatchMeta = {
    caller,
    requestId: job.request_id,
    operationId: job.id,
    batchOperation: job.operation,
    reason,
    confirmed: Boolean(confirmed),
  };

  if (!itemOperation) {
    await saveProgress(services.store.db, job, worker, {
      status: 'failed',
      errors: JSON.stringify([
        { index: -1, code: 'unsupported', message: `${job.operation} cannot run here` },
      ]),
      finished_at: now().toISOString(),
      updated_at: now().toISOString(),
    });
    return;
  }

  const record = (index: number, error: ItemError | null) => {
    if (!error) {
      done++;
      return;
    }
    failed++;
    if (errors.length < MAX_ERRORS) errors.push({ ...error, index });
  };

  while (position < items.length) {
    const end = Math.min(position + CHUNK, items.length);
    // The last chunk saves the final status with its progress: one commit fewer per job.
    const save = (db: Parameters<typeof saveProgress>[0], last = false) => {
      return saveProgress(db, job, worker, {
        done,
        failed,
        errors: JSON.stringify(errors),
        result: JSON.stringify(tally),
        updated_at: now().toISOString(),
        ...(last
          ? { status: finalStatus(done, failed), finished_at: now().toISOString() }
          : {
              locked_until: new Date(now().getTime() + services.config.jobLockSeconds * 1000).toISOString(),
            }),
      });
    };
    const snapshot = { done, failed, errors: errors.length, ...tally };
    try {
      await services.store.db.transaction().execute(async (trx) => {
        const slow = async (index: number) => {
          try {
            record(index, await runItem(services, trx, itemOperation, meta, items[index], tally));
          } catch (error) {
            if (!isAppError(error)) throw error;
            record(index, { index, code: error.code, message: error.message, hint: error.hint });
          }
        };
        if (!fast) {
          for (let index = position; index < end; index++) await slow(index);
        } else {
          // Plain creates of new records go in multi-row statements; the others one by one, in
          // their place in the order, so each item sees the effect of the ones before it.
          const run = newRun(services, trx, { ...meta, idempotencyKey: null });
          const plan = await planChunk(run, fast, itemOperation, items.slice(position, end));
          let group: { index: number; input: Record<string, unknown> }[] = [];
          const flush = async () => {
            if (group.length === 0) return;
            const taken = group;
            group = [];
            // The set-based commit step of the executor: decided and metered as the group.
            const written = await runBatchGroup(services, trx, itemOperation, taken.length, meta, (run) =>
              createMany(
                run,
                fast,
                job.operation,
                taken.map((item) => item.input),
              ),
            );
            if (!written) {
              for (const item of taken) await slow(item.index);
              return;
            }
            for (const item of taken) record(item.index, null);
            tally.created += taken.length;
          };
          for (let index = position; index < end; index++) {
            const input = plan[index - position];
            if (input) {
              group.push({ index, input });
              continue;
            }
            await flush();
            await slow(index);
          }
          await flush();
        }
        if (!(await save(trx, end === items.length))) throw new Error('lost the job lock');
      });
      // The chunk's webhook deliveries are committed: send them now, not at the next poll.
      services.webhooks.wake();
    } catch (error) {
      if ((error as Error).message === 'lost the job lock') return;
      // Roll the tallies back to the chunk's start and take its items one at a time.
      ({ done, failed } = snapshot);
      errors.length = snapshot.errors;
      tally.created = snapshot.created;
      tally.updated = snapshot.updated;
      if (snapshot.held === undefined) delete tally.held;
      else tally.held = snapshot.held;
      for (let index = position; index < end; index++) {
        try {
          await services.store.db.transaction().execute(async (trx) => {
            record(index, await runItem(services, trx, itemOperation, meta, items[index], tally));
            if (!(await save(trx))) throw new Error('lost the job lock');
          });
          services.webhooks.wake();
        } catch (itemError) {
          if ((itemError as Error).message === 'lost the job lock') return;
          const code = isAppError(itemError) ? itemError.code : 'internal';
          services.logger.error({ err: itemError, job: job.id, index }, 'batch item failed');
          record(index, {
            index,
            code,
            message: isAppError(itemError) ? itemError.message : 'unexpected error',
          });
          await save(services.store.db);
        }
      }
    }
    position = end;
  }

  const status = failed === 0 ? 'succeeded' : done === 0 ? 'failed' : 'partially_failed';
  await saveProgress(services.store.db, job, worker, {
    status,
    done,
    failed,
    errors: JSON.stringify(errors),
    result: JSON.stringify(tally),
    finished_at: now().toISOString(),
    updated_at: now().toISOString(),
  });
}
