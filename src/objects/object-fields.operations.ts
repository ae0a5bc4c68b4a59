import { z } from 'zod';
import { AppError } from '../errors.js';
import { defineOperation, type OperationContext } from '../operations/define.js';
import { checkDefault, checkField, definitionError } from './field-checks.js';
import { checkStoredValues, describePreview } from './migration-preview.js';
import { type FieldDefinition, fieldApiName, fieldChanges, fieldDefinition } from './object.js';
import { describeField, toFieldRecord } from './object-records.js';
import {
  findObjectField,
  insertObjectFields,
  listObjectFields,
  updateObjectField,
} from './objects.repository.js';
import {
  fieldRow,
  knownObjects,
  lockSchema,
  objectName,
  objectNamed,
  SCHEMA_HELP,
  SCHEMA_WRITE,
  schemaVerdict,
} from './schema-changes.js';

/** The fields of a type: added, changed, archived and restored, each a governed schema change. */
const fieldPath = { object: objectName, field: fieldApiName };

const addField = defineOperation({
  name: 'objects.add_field',
  summary:
    'Add a typed field to a custom type, or declare a typed custom.<key> on contacts, companies or deals.',
  description:
    'On a built-in kind the field types the existing custom.<key> values: from then on a write must give a ' +
    'value of that type. The migration preview counts the records that hold the key and lists those whose value ' +
    `would not convert; such a declaration is refused until they are fixed. ${SCHEMA_HELP}`,
  http: { method: 'POST', path: '/objects/:object/fields' },
  ...SCHEMA_WRITE,
  input: fieldDefinition
    .extend({ object: objectName })
    .transform(({ object, ...field }) => ({ object, field })),
  async policy(ctx, input) {
    const preview = await checkNewField(ctx, input.object, input.field);
    return schemaVerdict(ctx, {
      summary: `add the ${input.field.type} field ${input.field.api_name} to ${input.object}`,
      target: `object/${input.object}`,
      diff: {
        [`fields.${input.field.api_name}`]: [null, describeField(input.field)],
        migration: [null, describePreview(preview)],
      },
    });
  },
  async handler(ctx, input) {
    // The workspace lock first: concurrent schema changes of a workspace run one after the other.
    const room = await lockSchema(ctx);
    const preview = await checkNewField(ctx, input.object, input.field);
    await room.roomForFields(input.object);
    const position = (await listObjectFields(ctx.ws, input.object)).length;
    const row = fieldRow(ctx, input.object, input.field, position);
    await insertObjectFields(ctx.ws, [row]);
    ctx.audit({
      target: `field/${input.object}.${input.field.api_name}`,
      changes: { type: [null, input.field.type], required: [null, input.field.required ?? false] },
    });
    return {
      status: 201,
      meta: [`# created; records holding it: ${preview.records_affected}`],
      data: toFieldRecord({ ...row, workspace_id: ctx.ws.workspaceId }),
    };
  },
});

async function checkNewField(ctx: OperationContext, object: string, field: FieldDefinition) {
  await objectNamed(ctx, object);
  const existing = await listObjectFields(ctx.ws, object);
  checkField(field, {
    object,
    taken: existing.map((row) => row.api_name),
    relationTargets: await knownObjects(ctx),
  });
  return checkStoredValues(ctx, object, field, 'declare the field again');
}

const updateField = defineOperation({
  name: 'objects.update_field',
  summary: "Change a field's label, requiredness, default, choices or index (its type stays).",
  description:
    'Choices of a select may be added, never removed while records may hold them. A type change is not ' +
    `offered yet: add a new field, copy the values, archive the old one. ${SCHEMA_HELP}`,
  http: { method: 'PATCH', path: '/objects/:object/fields/:field' },
  ...SCHEMA_WRITE,
  input: fieldChanges(fieldPath),
  async policy(ctx, input) {
    const { row, diff } = await plannedUpdate(ctx, input);
    return schemaVerdict(ctx, {
      summary: `change ${Object.keys(diff).join(', ')} of ${input.object}.${row.api_name}`,
      target: `field/${input.object}.${input.field}`,
      diff,
    });
  },
  async handler(ctx, input) {
    await lockSchema(ctx); // the workspace lock: schema changes of a workspace run one after the other
    const { row, diff, changes } = await plannedUpdate(ctx, input);
    await updateObjectField(ctx.ws, input.object, input.field, changes, ctx.now);
    ctx.audit({ target: `field/${input.object}.${input.field}`, changes: diff, version: row.version + 1 });
    const updated = await findObjectField(ctx.ws, input.object, input.field);
    return { data: toFieldRecord(updated!) };
  },
});

async function existingField(ctx: OperationContext, type: string, field: string) {
  await objectNamed(ctx, type);
  const row = await findObjectField(ctx.ws, type, field);
  if (!row) {
    throw new AppError(
      'not_found',
      `field/${type}.${field} does not exist in this workspace`,
      `list the fields with GET /objects/${type}`,
      { details: { allowed: (await listObjectFields(ctx.ws, type)).map((f) => f.api_name) } },
    );
  }
  return row;
}

async function plannedUpdate(ctx: OperationContext, input: z.output<ReturnType<typeof fieldChanges>>) {
  const row = await existingField(ctx, input.object, input.field);
  const current = toFieldRecord(row);
  const diff: Record<string, [unknown, unknown]> = {};
  const changes: Parameters<typeof updateObjectField>[3] = {};
  if (input.label !== undefined && input.label !== current.label) {
    diff.label = [current.label, input.label];
    changes.label = input.label;
  }
  if (input.required !== undefined && input.required !== current.required) {
    if (input.required) {
      const fallback = input.default !== undefined ? input.default : current.default;
      await checkStoredValues(
        ctx,
        input.object,
        { ...current, required: true, default: fallback ?? undefined },
        'make it required',
      );
    }
    diff.required = [current.required, input.required];
    changes.required = input.required ? 1 : 0;
  }
  if (input.indexed !== undefined && input.indexed !== current.indexed) {
    diff.indexed = [current.indexed, input.indexed];
    changes.indexed = input.indexed ? 1 : 0;
  }
  if (input.options !== undefined) {
    if (!current.options)
      throw definitionError(`options: ${current.type} fields have no choices`, 'leave options out');
    const removed = current.options.filter((choice) => !input.options!.includes(choice));
    if (removed.length > 0) {
      throw definitionError(
        `options: ${removed.join(', ')} would be removed; choices can only be added`,
        'send every current choice plus the new ones',
        current.options,
      );
    }
    if (input.options.length !== current.options.length) {
      diff.options = [current.options, input.options];
      changes.options = JSON.stringify(input.options);
    }
  }
  if (input.default !== undefined) {
    checkDefault(
      { api_name: current.api_name, type: current.type, options: input.options ?? current.options },
      input.default,
    );
    diff.default = [current.default, input.default];
    changes.default_value = input.default === null ? null : JSON.stringify(input.default);
  }
  if (Object.keys(diff).length === 0) {
    throw definitionError(
      'nothing would change: every value sent is the current one',
      `read the field with GET /objects/${input.object} and send what should differ`,
    );
  }
  return { row, diff, changes };
}

const statusChange = (name: 'archive_field' | 'restore_field') =>
  defineOperation({
    name: `objects.${name}`,
    summary:
      name === 'archive_field'
        ? 'Archive a field: it leaves the schema, its values are kept and it can be restored.'
        : 'Restore an archived field with its values.',
    http:
      name === 'archive_field'
        ? { method: 'DELETE', path: '/objects/:object/fields/:field' }
        : { method: 'POST', path: '/objects/:object/fields/:field/restore' },
    ...SCHEMA_WRITE,
    input: z.strictObject(fieldPath),
    async policy(ctx, input) {
      const row = await statusField(ctx, input, name);
      return schemaVerdict(ctx, {
        summary: `${name === 'archive_field' ? 'archive' : 'restore'} the field ${input.object}.${row.api_name}`,
        target: `field/${input.object}.${input.field}`,
        diff: { status: [row.status, name === 'archive_field' ? 'archived' : 'active'] },
      });
    },
    async handler(ctx, input) {
      const room = await lockSchema(ctx);
      const row = await statusField(ctx, input, name);
      const status = name === 'archive_field' ? ('archived' as const) : ('active' as const);
      if (status === 'active') await room.roomForFields(input.object);
      await updateObjectField(
        ctx.ws,
        input.object,
        input.field,
        { status, archived_at: status === 'archived' ? ctx.now : null },
        ctx.now,
      );
      ctx.audit({
        target: `field/${input.object}.${input.field}`,
        changes: { status: [row.status, status] },
        version: row.version + 1,
      });
      return { data: toFieldRecord((await findObjectField(ctx.ws, input.object, input.field))!) };
    },
  });

async function statusField(
  ctx: OperationContext,
  input: { object: string; field: string },
  name: 'archive_field' | 'restore_field',
) {
  const row = await existingField(ctx, input.object, input.field);
  const wanted = name === 'archive_field' ? 'active' : 'archived';
  if (row.status !== wanted) {
    throw new AppError(
      'conflict',
      `field/${input.object}.${input.field} is already ${row.status}`,
      name === 'archive_field'
        ? `nothing to do; restore it with POST /objects/${input.object}/fields/${input.field}/restore`
        : 'nothing to do: it is active',
    );
  }
  if (name === 'restore_field') {
    // Values written while it was archived were not checked: they must fit again.
    const field = toFieldRecord(row);
    await checkStoredValues(
      ctx,
      input.object,
      { ...field, default: field.default ?? undefined },
      'restore it',
    );
  }
  return row;
}

export const fieldOperations = [
  addField,
  updateField,
  statusChange('archive_field'),
  statusChange('restore_field'),
];
