import { ENVELOPE_FIELDS } from '../answer/envelope.js';
import { ERROR_CODES } from '../errors.js';
import type { AnyOperation } from '../operations/define.js';
import { OUTCOMES } from '../operations/define.js';
import { kindNamed } from '../records/kinds.js';
import type { JsonSchema } from '../records/record-schema.js';

/**
 * The responses of /openapi.json: every answer is the AgentOnly envelope (JSON) or record lines
 * (text/plain); a read or write of records carries the record schema of its kind in `data` (a
 * list of them, with `next_cursor`, for lists), and every failure is the error envelope.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The envelope's members every answer has, success or failure. */
export const ENVELOPE_SCHEMAS: Record<string, JsonSchema> = {
  Envelope: {
    type: 'object',
    description: 'The AgentOnly envelope every JSON answer has.',
    required: [...ENVELOPE_FIELDS],
    properties: {
      outcome: { type: 'string', enum: [...OUTCOMES] },
      data: {},
      policy: {
        type: 'object',
        required: ['decision', 'reason_code'],
        properties: {
          decision: { type: 'string', enum: ['allow', 'require_approval', 'deny'] },
          reason_code: { type: 'string' },
        },
      },
      explanation: {
        type: 'object',
        required: ['summary', 'reason_codes'],
        properties: {
          summary: { type: 'string' },
          reason_codes: { type: 'array', items: { type: 'string' } },
        },
      },
      next_actions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['tool_name', 'when'],
          properties: { tool_name: { type: 'string' }, when: { type: 'string' } },
        },
      },
      warnings: {
        type: 'array',
        items: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            field: { type: 'string' },
            proposal_id: { type: 'string' },
          },
        },
      },
      request_id: { type: 'string' },
      idempotency_key: { type: ['string', 'null'] },
      operation_id: { type: ['string', 'null'] },
      next_cursor: {
        type: ['string', 'null'],
        description: 'On lists: send it as cursor= for the next page; null on the last page.',
      },
    },
  },
  Error: {
    allOf: [
      ref('Envelope'),
      {
        type: 'object',
        required: ['error'],
        properties: {
          outcome: { const: 'error' },
          error: {
            type: 'object',
            required: ['code', 'message', 'hint'],
            properties: {
              code: { type: 'string', enum: Object.keys(ERROR_CODES) },
              message: { type: 'string' },
              hint: { type: 'string', description: 'What to do about it.' },
              details: {},
            },
          },
        },
      },
    ],
  },
};

const TEXT = { 'text/plain': { schema: { type: 'string', description: 'Record lines and # lines.' } } };

/** The name of a kind's record schema in `components.schemas`: `ContactRecord`. */
export const recordComponent = (kind: string) =>
  `${kind.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase())}Record`;

function dataSchema(operation: AnyOperation, records: Set<string>): JsonSchema {
  const kind = operation.view?.kind;
  const schema = kind && kindNamed(kind)?.schema ? kind : null;
  if (!schema) return {};
  records.add(schema);
  const record = ref(recordComponent(schema));
  if (operation.http.queryFilters) return { type: 'array', items: record };
  if (!operation.mutating) return record;
  return {
    anyOf: [record, { type: ['object', 'null'], additionalProperties: true }],
    description: `The ${schema} as written; when outcome is proposed or denied, what the proposal or refusal says.`,
  };
}

/** The responses object of one operation; `records` collects the kinds whose schema it uses. */
export function responsesOf(operation: AnyOperation, records: Set<string>) {
  const data = dataSchema(operation, records);
  return {
    '2XX': {
      description: `${operation.name}: the envelope (JSON, with Accept: application/json) or record lines (text).`,
      content: {
        'application/json': {
          schema: { allOf: [ref('Envelope'), { type: 'object', properties: { data } }] },
        },
        ...TEXT,
      },
    },
    default: {
      description: 'A failure: the error envelope with code, message and hint (or error/hint lines in text).',
      content: { 'application/json': { schema: ref('Error') }, ...TEXT },
    },
  };
}
