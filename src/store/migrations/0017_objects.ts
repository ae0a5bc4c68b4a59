import type { Kysely } from 'kysely';
import { columnTypes } from './types.js';

/**
 * Custom object types and typed fields, defined at run time per workspace (docs/objects.md).
 * `object_types` holds a workspace's custom types by API name (`projects`); `object_fields` holds
 * the fields of a custom type, and the typed `custom.<key>` fields declared on the built-in kinds
 * (object `contacts`, `companies`, `deals`). Archived rows stay (status archived, archived_at) so a
 * type or field is restorable; the keys begin with workspace_id like every tenant table's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = columnTypes(db);
  await db.schema
    .createTable('object_types')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('api_name', text, (c) => c.notNull())
    .addColumn('label_singular', text, (c) => c.notNull())
    .addColumn('label_plural', text, (c) => c.notNull())
    .addColumn('description', text)
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('archived_at', text)
    .addPrimaryKeyConstraint('object_types_pk', ['workspace_id', 'api_name'])
    .execute();
  await db.schema
    .createTable('object_fields')
    .addColumn('workspace_id', text, (c) => c.notNull().references('workspaces.id'))
    .addColumn('object', text, (c) => c.notNull())
    .addColumn('api_name', text, (c) => c.notNull())
    .addColumn('label', text, (c) => c.notNull())
    .addColumn('type', text, (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('is_unique', 'integer', (c) => c.notNull())
    .addColumn('indexed', 'integer', (c) => c.notNull())
    .addColumn('default_value', text)
    .addColumn('options', text)
    .addColumn('relation_to', text)
    .addColumn('relation_many', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('archived_at', text)
    .addPrimaryKeyConstraint('object_fields_pk', ['workspace_id', 'object', 'api_name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('object_fields').execute();
  await db.schema.dropTable('object_types').execute();
}
