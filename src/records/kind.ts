import type { IdPrefix } from '../ids.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceDb } from '../store/scoped.js';

/** The tables of versioned, soft-deletable CRM records. */
export type RecordTable = 'contacts' | 'companies' | 'deals' | 'tasks';

type Generated = 'workspace_id' | 'id' | 'version' | 'created_at' | 'updated_at' | 'deleted_at';

/**
 * What the shared record code (create, update, upsert, delete, restore, references) needs to know
 * about one kind of record. Each domain module declares one.
 */
export interface RecordKind<
  T extends RecordTable = RecordTable,
  R extends { version: number } = { version: number },
> {
  /** The handle prefix: `contact` in `contact/c_…`. */
  kind: string;
  table: T;
  prefix: IdPrefix;
  /** The collection route, e.g. `/contacts`. */
  path: string;
  /** The path parameter and tool input that names one record, e.g. `contact_id`. */
  idField: string;
  /** The values of a new row before the caller's fields apply. */
  blank(): Omit<Database[T], Generated>;
  toRecord(row: Database[T]): R;
  /** The fields a caller may write, for hints. */
  writable: readonly string[];
  /** A column unique among live records (contacts' email, companies' domain): upsert key. */
  unique?: string;
  /**
   * Adds columns that follow from the change (a deal's closed_at from its status) and rejects
   * combinations that are invalid on the resulting row. `current` is undefined on create.
   */
  derive?(
    current: Database[T] | undefined,
    columns: Record<string, unknown>,
    now: string,
  ): Record<string, unknown>;
  /** Checks that need the database beyond references (a task's assignee); gets the changed columns. */
  validate?(ws: WorkspaceDb, columns: Record<string, unknown>): Promise<void>;
}

export const handleOf = (kind: Pick<RecordKind, 'kind'>, id: string) => `${kind.kind}/${id}`;
