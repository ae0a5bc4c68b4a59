import { z } from 'zod';
import { AppError } from '../errors.js';
import type { OperationResult } from '../operations/define.js';
import { mergeCustom } from './fields.js';

/** Column → value, as written to the database. */
export type Columns = Record<string, unknown>;
/** Field → [before, after]; only fields whose stored value changes. This is what the audit keeps. */
export type FieldChanges = Record<string, [unknown, unknown]>;

/** The column values a set of changes writes, with tags and custom serialised and custom merged. */
export function columnsFor(
  changes: Record<string, unknown>,
  current: { custom: string } | undefined,
): Columns {
  const columns: Columns = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (key === 'tags') columns.tags = JSON.stringify(value ?? []);
    else if (key === 'custom') {
      const before = current ? (JSON.parse(current.custom) as Record<string, unknown>) : {};
      columns.custom = JSON.stringify(
        value === null ? {} : mergeCustom(before, value as Record<string, unknown>),
      );
    } else columns[key] = value;
  }
  return columns;
}

/** Field → [before, after] for the columns whose stored value actually changes. */
export function diff(before: object | undefined, columns: Columns): FieldChanges {
  const changes: FieldChanges = {};
  for (const [key, after] of Object.entries(columns)) {
    const previous = before ? (before as Record<string, unknown>)[key] : null;
    if ((previous ?? null) !== (after ?? null)) changes[key] = [previous ?? null, after ?? null];
  }
  return changes;
}

/** The values to SET for a diff. */
export const afterValues = (changes: FieldChanges): Columns =>
  Object.fromEntries(Object.entries(changes).map(([key, [, after]]) => [key, after]));

/** A weak ETag: the record's version. Equal versions of one record are equal representations. */
export const etag = (version: number) => `W/"${version}"`;

/** A version as a number, an ETag (`W/"3"`, `"3"`) or digits — what If-Match and `version` carry. */
export const versionRef = z
  .union([z.number(), z.string().max(40)])
  .transform((value) =>
    typeof value === 'number'
      ? value
      : Number(/^(?:W\/)?"?(\d{1,15})"?$/.exec(value.trim())?.[1] ?? Number.NaN),
  )
  .pipe(z.number({ message: 'a version such as 3, or an ETag such as W/"3"' }).int().min(1));

/** Optional version check for writes: `version` in the body, or If-Match (mapped to expected_version). */
export const versionInput = {
  version: versionRef.optional(),
  expected_version: versionRef.optional(),
};

export function expectedVersion(input: { version?: number; expected_version?: number }): number | undefined {
  const { version, expected_version } = input;
  if (version !== undefined && expected_version !== undefined && version !== expected_version) {
    throw new AppError(
      'invalid_input',
      `version ${version} and If-Match ${expected_version} disagree`,
      'send the version you last read once: either If-Match or "version" in the body',
    );
  }
  return version ?? expected_version;
}

/** A single-record answer: the record, and its version as ETag. */
export function recordResult<R extends { version: number }>(
  record: R,
  result: Omit<OperationResult, 'data'> = {},
): OperationResult {
  return { ...result, data: record, headers: { ...result.headers, etag: etag(record.version) } };
}

/** The input of an update without the version fields and id: the field changes themselves. */
export function fieldChanges<T extends Record<string, unknown>>(
  input: T,
  idField: string,
): Record<string, unknown> {
  const { version: _v, expected_version: _e, [idField]: _id, ...changes } = input;
  return changes;
}
