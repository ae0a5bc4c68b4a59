import { z } from 'zod';
import { custom, email, idRef, phone, shortText, stage, tags, timestamp } from '../crm/fields.js';
import type { RelationSpec, ResourceSpec } from '../query/parse.js';
import { SEARCH_INDEXES } from '../search/indexes.js';
import type { SearchSpec } from '../search/search.repository.js';
import type { ContactsTable } from '../store/schema.js';

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
};

export type ContactChanges = {
  [K in keyof typeof contactFields]?: z.output<(typeof contactFields)[K]>;
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
    version: { type: 'number', nullable: false },
    created_at: { type: 'time', nullable: false, sortable: true },
    updated_at: { type: 'time', nullable: false, sortable: true },
  },
};

export const contactSearch: SearchSpec = {
  index: SEARCH_INDEXES.contacts,
  primary: ['name', 'email'],
  secondary: ['title'],
};
