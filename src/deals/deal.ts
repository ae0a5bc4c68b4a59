import { z } from 'zod';
import { recentActivities } from '../activities/activity.js';
import { AppError } from '../errors.js';
import { custom, idRef, shortText, stage, tags, timestamp } from '../records/fields.js';
import type { RecordKind } from '../records/kind.js';
import { defineKind, type KindList } from '../records/kinds.js';
import type { ResourceSpec } from '../records/query/parse.js';
import type { DealsTable } from '../store/schema.js';
import { openTasks } from '../tasks/task.js';
import { currency } from './currency.js';

export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;

/** The writable fields of a deal; every one optional on update, `null` clears it. */
export const dealFields = {
  title: shortText(300),
  amount_cents: z
    .number()
    .int('whole minor units (cents), e.g. 125000 for 1,250.00')
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .nullable(),
  currency: currency.nullable(),
  stage: stage.nullable(),
  status: z.enum(DEAL_STATUSES, { message: 'open, won or lost' }),
  contact_id: idRef('c').nullable(),
  company_id: idRef('co').nullable(),
  expected_close_at: timestamp.nullable(),
  follow_up_at: timestamp.nullable(),
  follow_up_note: shortText(2000).nullable(),
  tags: tags.nullable(),
  custom: custom.nullable(),
};

export const dealWrite = z.strictObject(
  Object.fromEntries(Object.entries(dealFields).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof typeof dealFields]: z.ZodOptional<(typeof dealFields)[K]>;
  },
);

export const dealCreate = z.strictObject({ ...dealWrite.shape, title: dealFields.title });

export interface DealRecord {
  handle: string;
  id: string;
  title: string;
  amount_cents: number | null;
  currency: string | null;
  stage: string | null;
  status: DealsTable['status'];
  contact_id: string | null;
  company_id: string | null;
  expected_close_at: string | null;
  closed_at: string | null;
  follow_up_at: string | null;
  follow_up_note: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  version: number;
  created_at: string;
  updated_at: string;
}

export function toDealRecord(row: DealsTable): DealRecord {
  return {
    handle: `deal/${row.id}`,
    id: row.id,
    title: row.title,
    amount_cents: row.amount_cents === null ? null : Number(row.amount_cents),
    currency: row.currency,
    stage: row.stage,
    status: row.status,
    contact_id: row.contact_id,
    company_id: row.company_id,
    expected_close_at: row.expected_close_at,
    closed_at: row.closed_at,
    follow_up_at: row.follow_up_at,
    follow_up_note: row.follow_up_note,
    tags: JSON.parse(row.tags) as string[],
    custom: JSON.parse(row.custom) as Record<string, unknown>,
    version: Number(row.version),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const blank = () => ({
  title: '',
  amount_cents: null,
  currency: null,
  stage: null,
  status: 'open' as const,
  contact_id: null,
  company_id: null,
  expected_close_at: null,
  closed_at: null,
  follow_up_at: null,
  follow_up_note: null,
  tags: '[]',
  custom: '{}',
});

export const dealKind: RecordKind<'deals', DealRecord> = {
  kind: 'deal',
  table: 'deals',
  prefix: 'd',
  path: '/deals',
  idField: 'deal_id',
  writable: Object.keys(dealFields),
  blank,
  toRecord: toDealRecord,
  derive(current, columns, now) {
    const next = { ...blank(), ...current, ...columns };
    if (next.amount_cents !== null && next.currency === null) {
      throw new AppError(
        'invalid_input',
        'currency: required when the deal has an amount_cents',
        'send currency with an ISO 4217 code, e.g. {"amount_cents":125000,"currency":"USD"}',
      );
    }
    // closed_at records when the deal was won or lost; reopening clears it.
    if (columns.status !== undefined && columns.status !== (current?.status ?? 'open')) {
      return { ...columns, closed_at: columns.status === 'open' ? null : now };
    }
    return columns;
  },
};

export const dealSpec: ResourceSpec = {
  kind: 'deal',
  custom: true,
  defaultSort: 'created_at',
  fields: {
    id: { type: 'id', nullable: false, sortable: true },
    title: { type: 'text', nullable: false, sortable: true },
    amount_cents: { type: 'number', nullable: true, sortable: true },
    currency: { type: 'text', nullable: true, sortable: true },
    stage: { type: 'text', nullable: true, sortable: true },
    status: { type: 'text', nullable: false, sortable: true },
    contact_id: { type: 'id', nullable: true },
    company_id: { type: 'id', nullable: true },
    expected_close_at: { type: 'time', nullable: true, sortable: true },
    closed_at: { type: 'time', nullable: true, sortable: true },
    follow_up_at: { type: 'time', nullable: true, sortable: true },
    follow_up_note: { type: 'text', nullable: true },
    tags: { type: 'tags', nullable: false },
    version: { type: 'number', nullable: false },
    created_at: { type: 'time', nullable: false, sortable: true },
    updated_at: { type: 'time', nullable: false, sortable: true },
  },
};

/** `open_deals` of a record whose id the deals' `column` holds, soonest expected close first. */
export const openDeals = (column: string): KindList => ({
  name: 'open_deals',
  table: 'deals',
  column,
  where: { status: 'open' },
  order: [{ column: 'expected_close_at', nullsLast: true }, { column: 'id' }],
  more: (id) => `GET /deals?${column}=${id}&status=open`,
});

export const dealDefinition = defineKind(dealKind, {
  writable: dealFields,
  references: [
    { column: 'contact_id', to: 'contacts' },
    { column: 'company_id', to: 'companies' },
  ],
  lists: [openTasks('deal_id'), recentActivities('deal_id', 'deal')],
});
