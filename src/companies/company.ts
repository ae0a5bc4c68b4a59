import { z } from 'zod';
import { openDeals } from '../deals/deal.js';
import { custom, shortText, tags } from '../records/fields.js';
import type { RecordKind } from '../records/kind.js';
import { defineKind } from '../records/kinds.js';
import type { ResourceSpec } from '../records/query/parse.js';
import type { CompaniesTable } from '../store/schema.js';

const HOSTNAME = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/**
 * `https://www.Acme.com/about`, `ACME.com.` and `jane@acme.com` all name `acme.com`: the host,
 * lower-cased (IDNs in punycode), without `www.` or a trailing dot. Upserts match on this form.
 */
export function normaliseDomain(value: string): string {
  const text = value.trim().toLowerCase();
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`).hostname;
    return host.replace(/\.$/, '').replace(/^www\./, '');
  } catch {
    return text;
  }
}

export const domain = z
  .string()
  .max(300)
  .transform(normaliseDomain)
  .pipe(z.string().regex(HOSTNAME, 'a domain such as acme.com'));

export const website = z
  .string()
  .trim()
  .max(2000)
  .transform((value) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`))
  .pipe(z.url({ protocol: /^https?$/, message: 'an http(s) URL such as https://acme.com' }));

/** The writable fields of a company; every one optional, `null` clears it. */
export const companyFields = {
  name: shortText(200).nullable(),
  domain: domain.nullable(),
  industry: shortText(100).nullable(),
  size: shortText(40).nullable(),
  website: website.nullable(),
  tags: tags.nullable(),
  custom: custom.nullable(),
};

export const companyWrite = z.strictObject(
  Object.fromEntries(Object.entries(companyFields).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof typeof companyFields]: z.ZodOptional<(typeof companyFields)[K]>;
  },
);

export interface CompanyRecord {
  handle: string;
  id: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  size: string | null;
  website: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  version: number;
  created_at: string;
  updated_at: string;
}

export function toCompanyRecord(row: CompaniesTable): CompanyRecord {
  return {
    handle: `company/${row.id}`,
    id: row.id,
    name: row.name,
    domain: row.domain,
    industry: row.industry,
    size: row.size,
    website: row.website,
    tags: JSON.parse(row.tags) as string[],
    custom: JSON.parse(row.custom) as Record<string, unknown>,
    version: Number(row.version),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export const companyKind: RecordKind<'companies', CompanyRecord> = {
  kind: 'company',
  table: 'companies',
  prefix: 'co',
  path: '/companies',
  idField: 'company_id',
  unique: 'domain',
  writable: Object.keys(companyFields),
  blank: () => ({
    name: null,
    domain: null,
    industry: null,
    size: null,
    website: null,
    tags: '[]',
    custom: '{}',
  }),
  toRecord: toCompanyRecord,
};

export const companySpec: ResourceSpec = {
  kind: 'company',
  custom: true,
  defaultSort: 'created_at',
  fields: {
    id: { type: 'id', nullable: false, sortable: true },
    name: { type: 'text', nullable: true, sortable: true },
    domain: { type: 'text', nullable: true, sortable: true },
    industry: { type: 'text', nullable: true, sortable: true },
    size: { type: 'text', nullable: true, sortable: true },
    website: { type: 'text', nullable: true },
    tags: { type: 'tags', nullable: false },
    version: { type: 'number', nullable: false },
    created_at: { type: 'time', nullable: false, sortable: true },
    updated_at: { type: 'time', nullable: false, sortable: true },
  },
};

export const companyDefinition = defineKind(companyKind, {
  writable: companyFields,
  lists: [
    {
      name: 'contacts',
      table: 'contacts',
      column: 'company_id',
      order: [{ column: 'created_at' }, { column: 'id' }],
      more: (id) => `GET /contacts?company_id=${id}`,
    },
    openDeals('company_id'),
  ],
});
