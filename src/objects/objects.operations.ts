import { z } from 'zod';
import { AppError } from '../errors.js';
import { defineOperation, type OperationContext } from '../operations/define.js';
import { checkField, definitionError } from './field-checks.js';
import { fieldDefinition, typeApiName } from './object.js';
import { describeField, toObjectRecord } from './object-records.js';
import { builtinObjectRecord, type ObjectsCatalog } from './objects.catalog.js';
import {
  findObjectType,
  insertObjectFields,
  insertObjectType,
  listObjectFields,
  listObjectTypes,
  setObjectTypeStatus,
} from './objects.repository.js';
import {
  fieldRow,
  knownObjects,
  lockSchema,
  newDefinition,
  objectName,
  SCHEMA_HELP,
  SCHEMA_WRITE,
  schemaVerdict,
} from './schema-changes.js';

/** Object types: listed with their fields, created, archived and restored (fields: object-fields.operations.ts). */
export function objectOperations(catalog: ObjectsCatalog) {
  const list = defineOperation({
    name: 'objects.list',
    summary: 'Every object type of the workspace, built-in and custom, with its fields.',
    description:
      'Built-in kinds (contacts, companies, deals, tasks, activities) list their own columns and the typed ' +
      'custom.<key> fields declared on them; custom types list their fields. Archived types and fields are ' +
      'shown with status=archived (restorable). One type with its fields: GET /objects/{type}.',
    http: { method: 'GET', path: '/objects' },
    scope: 'read',
    mutating: false,
    input: z.strictObject({}),
    async handler(ctx) {
      const fields = await listObjectFields(ctx.ws);
      const builtins = catalog.builtinNames.map((name) =>
        builtinObjectRecord(
          catalog,
          name,
          fields.filter((row) => row.object === name),
        ),
      );
      const custom = (await listObjectTypes(ctx.ws)).map((row) =>
        toObjectRecord(
          row,
          fields.filter((field) => field.object === row.api_name),
        ),
      );
      return { data: [...builtins, ...custom] };
    },
  });

  const get = defineOperation({
    name: 'objects.get',
    summary: 'One object type with its fields (built-in or custom).',
    http: { method: 'GET', path: '/objects/:object' },
    scope: 'read',
    mutating: false,
    input: z.strictObject({ object: objectName }),
    async handler(ctx, input) {
      const fields = await listObjectFields(ctx.ws, input.object);
      if (catalog.builtinNames.includes(input.object))
        return { data: builtinObjectRecord(catalog, input.object, fields) };
      const row = await findObjectType(ctx.ws, input.object);
      if (!row) {
        throw new AppError(
          'not_found',
          `object/${input.object} does not exist in this workspace`,
          'list the types with GET /objects',
          {
            details: {
              allowed: [...catalog.builtinNames, ...(await listObjectTypes(ctx.ws)).map((t) => t.api_name)],
            },
          },
        );
      }
      return { data: toObjectRecord(row, fields) };
    },
  });

  const createInput = z.strictObject({
    api_name: typeApiName.describe(
      'The plural API name, e.g. projects: its records will live at /objects/projects/records.',
    ),
    label_singular: z.string().trim().min(1).max(80),
    label_plural: z.string().trim().min(1).max(80),
    description: z.string().trim().max(1000).optional(),
    // Not `fields`: that name steers every answer's projection (fields=name,email).
    field_definitions: z.array(fieldDefinition).max(500).default([]).describe("The type's fields, in order."),
  });

  async function checkNewType(ctx: OperationContext, input: z.output<typeof createInput>) {
    if (catalog.reservedTypes.includes(input.api_name)) {
      throw definitionError(
        `${input.api_name} is reserved: a built-in kind or a route of this API has that name`,
        'pick another api_name, e.g. projects, tickets, subscriptions',
        catalog.reservedTypes,
      );
    }
    const existing = await findObjectType(ctx.ws, input.api_name);
    if (existing) {
      throw definitionError(
        `object/${input.api_name} already exists${existing.status === 'archived' ? ' (archived)' : ''}`,
        existing.status === 'archived'
          ? `restore it (POST /objects/${input.api_name}/restore) or pick another api_name`
          : 'add fields to it (POST /objects/{type}/fields), or pick another api_name',
      );
    }
    const targets = [...(await knownObjects(ctx)), input.api_name];
    const taken: string[] = [];
    for (const field of input.field_definitions) {
      checkField(field, { object: input.api_name, taken, relationTargets: targets });
      taken.push(field.api_name);
    }
  }

  const create = defineOperation({
    name: 'objects.create',
    summary: 'Define a custom object type (projects, tickets…) with its typed fields.',
    description:
      'Field types: text, long_text, number, money ({amount_cents, currency}), date, datetime, boolean, select ' +
      '(options), multi_select, email, url, phone, relation (relation: {to, many}). Each may be required, unique ' +
      `(text, number, email, url, phone), indexed, or defaulted. ${SCHEMA_HELP}`,
    http: { method: 'POST', path: '/objects' },
    ...SCHEMA_WRITE,
    input: createInput,
    async policy(ctx, input) {
      await checkNewType(ctx, input);
      return schemaVerdict(ctx, {
        summary: `create the object type ${input.api_name} with ${input.field_definitions.length} field(s)`,
        target: `object/${input.api_name}`,
        diff: {
          object: [null, `${input.api_name} (${input.label_singular} / ${input.label_plural})`],
          ...Object.fromEntries(
            input.field_definitions.map((field) => [
              `fields.${field.api_name}`,
              [null, describeField(field)],
            ]),
          ),
          migration: [null, 'a new type: no records yet'],
        },
      });
    },
    async handler(ctx, input) {
      // The workspace lock first: concurrent schema changes of a workspace run one after the other.
      const room = await lockSchema(ctx);
      await checkNewType(ctx, input);
      await room.roomForType();
      await room.roomForFields(input.api_name, input.field_definitions.length);
      const row = {
        api_name: input.api_name,
        label_singular: input.label_singular,
        label_plural: input.label_plural,
        description: input.description ?? null,
        ...newDefinition(ctx),
      };
      await insertObjectType(ctx.ws, row);
      const fields = input.field_definitions.map((field, index) =>
        fieldRow(ctx, input.api_name, field, index),
      );
      await insertObjectFields(ctx.ws, fields);
      ctx.audit({
        target: `object/${input.api_name}`,
        changes: {
          label_plural: [null, input.label_plural],
          fields: [null, input.field_definitions.map((field) => field.api_name)],
        },
      });
      return {
        status: 201,
        meta: ['# created'],
        data: toObjectRecord(
          { ...row, workspace_id: ctx.ws.workspaceId },
          fields.map((field) => ({ ...field, workspace_id: ctx.ws.workspaceId })),
        ),
      };
    },
  });

  const typeStatus = (name: 'archive' | 'restore') =>
    defineOperation({
      name: `objects.${name}`,
      summary:
        name === 'archive'
          ? 'Archive a custom object type: it leaves the schema with its fields; it can be restored.'
          : 'Restore an archived custom object type with its fields.',
      http:
        name === 'archive'
          ? { method: 'DELETE', path: '/objects/:object' }
          : { method: 'POST', path: '/objects/:object/restore' },
      ...SCHEMA_WRITE,
      input: z.strictObject({ object: objectName }),
      async policy(ctx, input) {
        const row = await statusType(ctx, input.object, name);
        return schemaVerdict(ctx, {
          summary: `${name} the object type ${row.api_name}`,
          target: `object/${row.api_name}`,
          diff: { status: [row.status, name === 'archive' ? 'archived' : 'active'] },
        });
      },
      async handler(ctx, input) {
        const room = await lockSchema(ctx);
        const row = await statusType(ctx, input.object, name);
        const status = name === 'archive' ? ('archived' as const) : ('active' as const);
        if (status === 'active') await room.roomForType();
        await setObjectTypeStatus(ctx.ws, row.api_name, status, ctx.now);
        ctx.audit({
          target: `object/${row.api_name}`,
          changes: { status: [row.status, status] },
          version: row.version + 1,
        });
        const updated = (await findObjectType(ctx.ws, row.api_name))!;
        return { data: toObjectRecord(updated, await listObjectFields(ctx.ws, row.api_name)) };
      },
    });

  async function statusType(ctx: OperationContext, type: string, name: 'archive' | 'restore') {
    if (catalog.builtinNames.includes(type)) {
      throw definitionError(
        `${type} is a built-in kind: it cannot be archived`,
        'archive the typed fields you declared on it instead (DELETE /objects/{type}/fields/{field})',
      );
    }
    const row = await findObjectType(ctx.ws, type);
    if (!row) {
      throw new AppError(
        'not_found',
        `object/${type} does not exist in this workspace`,
        'list the types with GET /objects',
      );
    }
    const wanted = name === 'archive' ? 'active' : 'archived';
    if (row.status !== wanted) {
      throw new AppError(
        'conflict',
        `object/${type} is already ${row.status}`,
        name === 'archive'
          ? `nothing to do; restore it with POST /objects/${type}/restore`
          : 'nothing to do: it is active',
      );
    }
    return row;
  }

  return [list, get, create, typeStatus('archive'), typeStatus('restore')];
}
