import type { AnyOperation } from '../operations/define.js';

/**
 * Every path an operation answers on: its own, its aliases, and for record routes the handle
 * form, so `GET /contacts/contact/c_…` works as well as `GET /contacts/c_…`.
 */
export function allPaths(operation: AnyOperation): string[] {
  const paths = [operation.http.path, ...(operation.http.aliases ?? [])];
  const withHandles = paths.flatMap((path) => {
    const handleForm = path.replace(/\/:([a-z]+)_id(?=\/|$)/, '/$1/:$1_id');
    return handleForm === path ? [path] : [path, handleForm];
  });
  return [...new Set(withHandles)];
}

function pattern(path: string): RegExp {
  const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[a-z_]+/g, '[^/]+');
  return new RegExp(`^${source}/?$`);
}

/** The methods some operation accepts on this path, for 405 answers. */
export function methodsForPath(operations: readonly AnyOperation[], path: string): string[] {
  const methods = operations
    .filter((operation) => allPaths(operation).some((candidate) => pattern(candidate).test(path)))
    .map((operation) => operation.http.method);
  return [...new Set(methods)];
}
