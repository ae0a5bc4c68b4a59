import { z } from 'zod';
import { idRef, timestamp } from '../records/fields.js';
import type { ResourceSpec } from '../records/query/parse.js';
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
