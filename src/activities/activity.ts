import { z } from 'zod';
import { idRef, timestamp } from '../records/fields.js';
import type { KindDefinition, KindList } from '../records/kinds.js';
import type { ResourceSpec } from '../records/query/parse.js';
import { recordSchema } from '../records/record-schema.js';
import type { ActivitiesTable } from '../store/schema.js';

export const ACTIVITY_KINDS = ['call', 'email', 'meeting', 'note', 'task'] as const;

export const activityWrite = {
  kind: z.enum(ACTIVITY_KINDS, { message: 'call, email, meeting, note or task' }),
  body: z.string().trim().min(1, 'say what happened').max(20_000),
  /** Defaults to the time of the request. */
  occurred_at: timestamp.optional(),
  deal_id: idRef('d').nullable().optional(),
};

export interface ActivityRecord {
  handle: string;
  id: string;
  contact_id: string;
  deal_id: string | null;
  kind: ActivitiesTable['kind'];
  occurred_at: string;
  body: string;
  created_by: string;
  version: number;
  created_at: string;
}

export function toActivityRecord(row: ActivitiesTable): ActivityRecord {
  return {
    handle: `activity/${row.id}`,
    id: row.id,
    contact_id: row.contact_id,
    deal_id: row.deal_id,
    kind: row.kind,
    occurred_at: row.occurred_at,
    body: row.body,
    created_by: row.created_by,
    version: Number(row.version),
    created_at: row.created_at,
  };
}

export const activitySpec: ResourceSpec = {
  kind: 'activity',
  custom: false,
  defaultSort: '-occurred_at',
  fields: {
    id: { type: 'id', nullable: false, sortable: true },
    contact_id: { type: 'id', nullable: false },
    deal_id: { type: 'id', nullable: true },
    kind: { type: 'text', nullable: false, sortable: true },
    body: { type: 'text', nullable: false },
    created_by: { type: 'id', nullable: false },
    occurred_at: { type: 'time', nullable: false, sortable: true },
    created_at: { type: 'time', nullable: false, sortable: true },
  },
};

/** `recent_activities` of a record whose id the activities' `column` holds, newest first. */
export const recentActivities = (column: string, param: string): KindList => ({
  name: 'recent_activities',
  table: 'activities',
  column,
  order: [
    { column: 'occurred_at', desc: true },
    { column: 'id', desc: true },
  ],
  more: (id) => `GET /activities?${param}=${id}`,
});

const activityRecordFields = [
  ...Object.keys(
    toActivityRecord({
      workspace_id: '',
      id: '',
      version: 1,
      created_at: '',
      contact_id: '',
      deal_id: null,
      kind: 'note',
      body: '',
      occurred_at: '',
      created_by: '',
    }),
  ),
  'deleted_refs',
];

/** Activities are records without versions or deletes of their own: a kind for reads and references. */
export const activityDefinition: KindDefinition = {
  kind: 'activity',
  table: 'activities',
  path: '/activities',
  fields: activityRecordFields,
  toRecord: toActivityRecord as KindDefinition['toRecord'],
  references: [
    { column: 'contact_id', to: 'contacts', owned: true },
    { column: 'deal_id', to: 'deals' },
  ],
  schema: recordSchema('activity', activityRecordFields, {
    contact_id: idRef('c'),
    ...activityWrite,
    deal_id: idRef('d').nullable(),
    occurred_at: timestamp,
  }),
};
