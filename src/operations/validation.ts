import { z } from 'zod';
import { AppError } from '../errors.js';
import type { AnyOperation } from './define.js';

/** The top-level field names an operation accepts, for error messages and hints. */
export function allowedFields(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** Turns a zod failure into one invalid_input error naming every bad field. */
export function invalidInput(operation: AnyOperation, error: z.ZodError): AppError {
  const allowed = allowedFields(operation.input);
  const fields: { path: string; message: string }[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? `${issue.path.join('.')}.` : '';
      for (const key of issue.keys) fields.push({ path: `${where}${key}`, message: 'unknown field' });
    } else {
      fields.push({ path: issue.path.join('.') || '(body)', message: issue.message });
    }
  }
  const message = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  const unknown = fields.some((f) => f.message === 'unknown field');
  const hint = unknown
    ? `allowed fields for ${operation.name}: ${allowed.join(', ')}`
    : `fix the named fields and retry; the input schema of ${operation.name} is in GET /agentcrm-tools.json?tool=${operation.name}`;
  return new AppError('invalid_input', message, hint, { details: { fields, allowed } });
}
