import type { OperationContext } from '../operations/define.js';
import type { CustomSorts } from './query/parse.js';

/**
 * How a feature types the free-form `custom` keys of a kind: src/objects/ declares typed fields per
 * workspace and registers these rules where the app is assembled (src/kinds.ts); the records core
 * asks them on every write and sort, and imports no feature.
 */
export interface CustomFieldRules {
  /** The columns a create or update would store, checked against the typed keys (defaults added). */
  check<Columns extends Record<string, unknown>>(
    ctx: OperationContext,
    table: string,
    columns: Columns,
    creating: boolean,
  ): Promise<Columns>;
  /** The custom keys sort= may name on this kind, and how their values compare. */
  sorts(ctx: OperationContext, table: string): Promise<CustomSorts>;
}

let registered: CustomFieldRules | undefined;

export function registerCustomFieldRules(rules: CustomFieldRules): void {
  registered = rules;
}

/** The registered rules' check; columns unchanged when none are registered. */
export async function checkCustomFields<Columns extends Record<string, unknown>>(
  ctx: OperationContext,
  table: string,
  columns: Columns,
  creating: boolean,
): Promise<Columns> {
  return registered ? registered.check(ctx, table, columns, creating) : columns;
}

/** The typed custom keys sort= may name; none when no rules are registered. */
export async function customSorts(ctx: OperationContext, table: string): Promise<CustomSorts> {
  return registered ? registered.sorts(ctx, table) : {};
}
