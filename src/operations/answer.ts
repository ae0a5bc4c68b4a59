import { AppError } from '../errors.js';
import type { Services } from '../services.js';
import { scopeTo } from '../store/scoped.js';
import type { AnyOperation, Caller, OperationResult, Warning } from './define.js';
import { type Projection, projectPlain } from './projection.js';

/** Refuses a projection the operation cannot give, before anything runs. */
export function checkProjection(operation: AnyOperation, projection: Projection) {
  if (operation.view) return operation.view.check(projection);
  if (projection.expand) {
    throw new AppError(
      'invalid_input',
      `expand: ${operation.name} has nothing to expand`,
      'expand= works on the reads and lists of contacts, companies, deals, tasks and activities',
    );
  }
}

/**
 * The answer with only the asked-for fields and the asked-for related records. Related records
 * are read after the operation (after its commit, for a write), in the caller's workspace.
 */
export async function shapeAnswer(
  services: Services,
  operation: AnyOperation,
  result: OperationResult,
  projection: Projection,
  caller: Caller | null,
): Promise<OperationResult> {
  if (result.text) {
    // Its text is written by the operation: the JSON form takes the fields, the text says so.
    if (!projection.fields) return result;
    const { data, warning } = projectPlain(result.data, projection.fields);
    const fixed: Warning = {
      code: 'fields_text_fixed',
      message: `${operation.name} writes its own text answer, which fields= does not shorten; ask for JSON (Accept: application/json) to get only the named fields`,
    };
    return { ...result, data, warnings: [...(result.warnings ?? []), ...(warning ? [warning] : []), fixed] };
  }
  // A proposal (or a refusal) is not the record the projection names: answered whole.
  if (result.outcome === 'proposed' || result.outcome === 'denied') return result;
  if (operation.view && caller) {
    const ws = scopeTo(services.store.db, services.store.dialect, caller.workspaceId);
    return { ...result, data: await operation.view.shape(ws, result.data, projection) };
  }
  if (!projection.fields) return result;
  const { data, warning } = projectPlain(result.data, projection.fields);
  return { ...result, data, ...(warning ? { warnings: [...(result.warnings ?? []), warning] } : {}) };
}
