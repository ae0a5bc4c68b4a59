import { z } from 'zod';
import { AppError } from '../errors.js';
import { systemDb } from '../operations/context.js';
import type { AnyOperation, OperationContext, Verdict } from '../operations/define.js';
import { planNamed } from '../plans/plans.js';
import { planLimitReached } from '../plans/usage.js';
import { loadPolicy } from '../policy/policy.js';
import { lockWorkspace } from '../workspaces/workspaces.repository.js';
import { BUILTIN_OBJECTS, FIELDLESS_BUILTINS, type FieldDefinition, isBuiltinObject } from './object.js';
import {
  countActiveFields,
  countActiveObjectTypes,
  findObjectType,
  listObjectTypes,
} from './objects.repository.js';

/**
 * What every schema change shares (object types and fields alike): who may apply it and when it
 * waits for a person, the plan's caps, and finding the type a path names.
 */
export const SCHEMA_HELP =
  'Schema changes are governed: an agent’s change is a proposal a person approves in the console ' +
  '(policy schema_changes: require_approval by default; allow applies it, deny refuses it); a ' +
  'workspace admin’s change applies at once. Send ?dry_run=true to see the decision and the ' +
  'migration preview (records affected, values that would not convert) first.';

/** A type named in a path: a built-in kind or a custom type's API name. */
export const objectName = z
  .string()
  .min(1)
  .max(60)
  .describe('contacts, companies, deals, or a custom type such as projects');

export const who = (ctx: OperationContext) => `${ctx.caller!.principalType}/${ctx.caller!.principalId}`;

/**
 * The say of the workspace on a schema change: an admin person applies it; an agent follows the
 * policy (schema_changes); a member person's change waits for an admin.
 */
export async function schemaVerdict(
  ctx: OperationContext,
  change: { summary: string; target: string; diff: Record<string, [unknown, unknown]> },
): Promise<Verdict | null> {
  const caller = ctx.caller!;
  if (caller.principalType === 'user' && caller.role === 'admin') return null;
  const decision =
    caller.principalType === 'agent' ? (await loadPolicy(ctx.ws)).schema_changes : 'require_approval';
  if (decision === 'allow') return null;
  if (decision === 'deny') {
    return {
      decision: 'deny',
      reason_code: 'schema.agent_denied',
      summary: `${change.summary}: this workspace does not let agents change its schema`,
      target: change.target,
      diff: change.diff,
    };
  }
  return {
    decision: 'require_approval',
    reason_code: 'schema.change_requires_approval',
    summary: change.summary,
    target: change.target,
    diff: change.diff,
  };
}

/**
 * Locks the workspace row for the rest of the transaction, so a workspace's schema changes run one
 * after the other (two creates of one type cannot both pass the "is it free" check), and answers
 * the plan's caps for types and fields.
 */
export async function lockSchema(ctx: OperationContext) {
  await lockWorkspace(systemDb(ctx), ctx.ws.workspaceId, ctx.now);
  const plan = planNamed(ctx.services.config.plans, ctx.caller?.plan ?? 'sandbox');
  const { object_types: types, object_fields: fields } = plan.caps;
  return {
    /** plan_limit_reached unless one more active type fits. */
    async roomForType() {
      if ((await countActiveObjectTypes(ctx.ws)) + 1 > types)
        throw planLimitReached('custom object types', types, plan.name);
    },
    /** plan_limit_reached unless `adding` more active fields fit on the object. */
    async roomForFields(object: string, adding = 1) {
      if ((await countActiveFields(ctx.ws, object)) + adding > fields)
        throw planLimitReached('fields per object type', fields, plan.name);
    },
  };
}

/** Every object a field may be declared on or point at: the built-in three and active custom types. */
export async function knownObjects(ctx: OperationContext): Promise<string[]> {
  const custom = (await listObjectTypes(ctx.ws)).filter((row) => row.status === 'active');
  return [...BUILTIN_OBJECTS, ...custom.map((row) => row.api_name)];
}

/** The object named in a path: a built-in that takes fields, or an active custom type; else 404/400. */
export async function objectNamed(ctx: OperationContext, name: string) {
  if (isBuiltinObject(name)) return { builtin: true as const, name };
  if (FIELDLESS_BUILTINS.includes(name)) {
    throw new AppError(
      'invalid_input',
      `${name} takes no typed fields: only contacts, companies and deals do`,
      'declare typed fields on contacts, companies or deals, or define a custom type (POST /objects)',
      { details: { allowed: [...BUILTIN_OBJECTS] } },
    );
  }
  const row = await findObjectType(ctx.ws, name);
  if (!row) {
    throw new AppError(
      'not_found',
      `object/${name} does not exist in this workspace`,
      'list the types with GET /objects; create one with POST /objects',
      { details: { allowed: await knownObjects(ctx) } },
    );
  }
  if (row.status === 'archived') {
    throw new AppError(
      'conflict',
      `object/${name} is archived`,
      `restore it first (POST /objects/${name}/restore)`,
    );
  }
  return { builtin: false as const, name, row };
}

export function fieldRow(
  ctx: OperationContext,
  object: string,
  definition: FieldDefinition,
  position: number,
) {
  return {
    object,
    api_name: definition.api_name,
    label: definition.label ?? definition.api_name,
    type: definition.type,
    required: definition.required ? 1 : 0,
    is_unique: definition.unique ? 1 : 0,
    indexed: definition.indexed ? 1 : 0,
    default_value: definition.default === undefined ? null : JSON.stringify(definition.default),
    options: definition.options ? JSON.stringify(definition.options) : null,
    relation_to: definition.relation?.to ?? null,
    relation_many: definition.relation?.many ? 1 : 0,
    position,
    ...newDefinition(ctx),
  };
}

/** What a new type or field row starts with: active, version 1, made by the caller now. */
export function newDefinition(ctx: OperationContext) {
  return {
    status: 'active' as const,
    version: 1,
    created_by: who(ctx),
    created_at: ctx.now,
    updated_at: ctx.now,
    archived_at: null,
  };
}

/** What every schema change declares: a write whose policy may ask for a person. */
export const SCHEMA_WRITE = {
  scope: 'write',
  mutating: true,
  approval: 'sometimes',
  reasonCodes: ['schema.change_requires_approval', 'schema.agent_denied'],
} as const satisfies Pick<AnyOperation, 'scope' | 'mutating' | 'approval' | 'reasonCodes'>;
