import { z } from 'zod';
import { recentActivities } from '../activities/activity.js';
import { openDeals } from '../deals/deal.js';
import { custom, email, idRef, phone, shortText, stage, tags, timestamp } from '../records/fields.js';
import type { RecordKind } from '../records/kind.js';
import { defineKind } from '../records/kinds.js';
import { checkPrincipal, principalRef } from '../records/principals.js';
import type { RelationSpec, ResourceSpec } from '../records/query/parse.js';
import { SEARCH_INDEXES } from '../records/search/indexes.js';
import type { SearchSpec } from '../records/search/search.repository.js';
import type { ContactsTable } from '../store/schema.js';
import { openTasks } from '../tasks/task.js';
import { needsHuman } from './sensitive.js';

/** The writable fields of a contact; every one optional, `null` clears it. */
export const contactFields = {
  name: shortText(200).nullable(),
  email: email.nullable(),
  phone: phone.nullable(),
  title: shortText(200).nullable(),
  stage: stage.nullable(),
  company_id: idRef('co').nullable(),
  tags: tags.nullable(),
  custom: custom.nullable(),
  follow_up_at: timestamp.nullable(),
  follow_up_note: shortText(2000).nullable(),
  do_not_contact: z.boolean(),
  owner: principalRef.nullable(),
};

export const contactWrite = z.strictObject(
  Object.fromEntries(Object.entries(contactFields).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof typeof contactFields]: z.ZodOptional<(typeof contactFields)[K]>;
  },
);

export interface ContactRecord {
  handle: string;
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
  stage: string | null;
  company_id: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  follow_up_at: string | null;
  follow_up_note: string | null;
  do_not_contact: boolean;
  owner: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export function toContactRecord(row: ContactsTable): ContactRecord {
  return {
    handle: `contact/${row.id}`,
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    title: row.title,
    stage: row.stage,
    company_id: row.company_id,
    tags: JSON.parse(row.tags) as string[],
    custom: JSON.parse(row.custom) as Record<string, unknown>,
    follow_up_at: row.follow_up_at,
    follow_up_note: row.follow_up_note,
    do_not_contact: Number(row.do_not_contact) === 1,
    owner: row.owner,
    version: Number(row.version),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** `company.<field>` filters on contacts (and, when deals land, on deals). */
export const companyRelation: RelationSpec = {
  table: 'companies',
  column: 'company_id',
  references: 'id',
  custom: true,
  fields: {
    id: { type: 'id', nullable: false },
    name: { type: 'text', nullable: true },
    domain: { type: 'text', nullable: true },
    industry: { type: 'text', nullable: true },
    size: { type: 'text', nullable: true },
    website: { type: 'text', nullable: true },
    tags: { type: 'tags', nullable: false },
    created_at: { type: 'time', nullable: false },
    updated_at: { type: 'time', nullable: false },
  },
};

export const contactSpec: ResourceSpec = {
  kind: 'contact',
  custom: true,
  defaultSort: 'created_at',
  relations: { company: companyRelation },
  fields: {
    id: { type: 'id', nullable: false, sortable: true },
    name: { type: 'text', nullable: true, sortable: true },
    email: { type: 'text', nullable: true, sortable: true },
    phone: { type: 'text', nullable: true },
    title: { type: 'text', nullable: true, sortable: true },
    stage: { type: 'text', nullable: true, sortable: true },
    company_id: { type: 'id', nullable: true },
    tags: { type: 'tags', nullable: false },
    follow_up_at: { type: 'time', nullable: true, sortable: true },
    follow_up_note: { type: 'text', nullable: true },
    do_not_contact: { type: 'number', nullable: false },
    owner: { type: 'id', nullable: true },
    version: { type: 'number', nullable: false },
    created_at: { type: 'time', nullable: false, sortable: true },
    updated_at: { type: 'time', nullable: false, sortable: true },
  },
};

export const contactKind: RecordKind<'contacts', ContactRecord> = {
  kind: 'contact',
  table: 'contacts',
  prefix: 'c',
  path: '/contacts',
  idField: 'contact_id',
  unique: 'email',
  writable: Object.keys(contactFields),
  blank: () => ({
    name: null,
    email: null,
    phone: null,
    title: null,
    stage: null,
    company_id: null,
    tags: '[]',
    custom: '{}',
    follow_up_at: null,
    follow_up_note: null,
    do_not_contact: 0,
    owner: null,
  }),
  toRecord: toContactRecord,
  derive(_current, columns) {
    // Stored as 0/1 so both databases compare it the same way.
    if (typeof columns.do_not_contact !== 'boolean') return columns;
    return { ...columns, do_not_contact: columns.do_not_contact ? 1 : 0 };
  },
  async validate(ws, columns) {
    await checkPrincipal(ws, 'owner', columns.owner);
  },
};

export const contactSearch: SearchSpec = {
  index: SEARCH_INDEXES.contacts,
  primary: ['name', 'email'],
  secondary: ['title'],
};

export const contactDefinition = defineKind(contactKind, {
  writable: contactFields,
  references: [{ column: 'company_id', to: 'companies' }],
  lists: [openDeals('contact_id'), openTasks('contact_id'), recentActivities('contact_id', 'contact')],
  rules: { fieldNeedsHuman: needsHuman },
});
