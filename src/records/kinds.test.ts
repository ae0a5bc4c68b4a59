import { describe, expect, it } from 'vitest';
import { BUILTIN_KINDS, registerKinds } from '../kinds.js';
import { type KindDefinition, kindNamed, kindOfHandle, kindOfTable, registerKind } from './kinds.js';
import { references } from './refs.js';
import { recordView } from './views.js';

// The records core knows kinds only through their registered definitions, and a definition is a
// runtime description: a kind built from data (the shape custom object types will have) plugs in
// the same way as the built-in ones, with no TypeScript type of its own.

/** A kind as a workspace might describe it in data: names and field lists only. */
const described = {
  kind: 'ticket',
  table: 'tickets',
  path: '/tickets',
  fields: ['subject', 'priority', 'contact_id'],
  references: [{ column: 'contact_id', to: 'contacts' }],
};

function fromData(data: typeof described): KindDefinition {
  return {
    kind: data.kind,
    table: data.table,
    path: data.path,
    fields: ['handle', 'id', ...data.fields, 'version', 'deleted_refs'],
    toRecord: ((row: Record<string, unknown>) => ({
      handle: `${data.kind}/${String(row.id)}`,
      id: row.id,
      ...Object.fromEntries(data.fields.map((field) => [field, row[field] ?? null])),
      version: Number(row.version),
    })) as KindDefinition['toRecord'],
    references: data.references,
  };
}

describe('the kind registry', () => {
  registerKinds();
  registerKinds(); // idempotent, as createApp may run more than once in a process
  const ticket = fromData(described);
  registerKind(ticket);

  it('finds kinds by table, handle prefix and handle', () => {
    expect(BUILTIN_KINDS.map((kind) => kind.kind)).toEqual([
      'contact',
      'company',
      'deal',
      'task',
      'activity',
    ]);
    expect(kindOfTable('contacts').kind).toBe('contact');
    expect(kindNamed('ticket')).toBe(ticket);
    expect(kindOfHandle('ticket/tk_1')).toBe(ticket);
    expect(kindOfHandle('widget/w_1')).toBeUndefined();
    expect(() => kindOfTable('widgets')).toThrow(/no kind registered for table widgets/);
  });

  it('refuses a second kind under a name or table already taken', () => {
    expect(() => registerKind({ ...ticket, kind: 'case' })).toThrow(/clashes with kind ticket/);
    expect(() => registerKind({ ...ticket, table: 'cases' })).toThrow(/clashes with kind ticket/);
  });

  it('gives a data-built kind references and a view like a built-in one', () => {
    expect(references()).toContainEqual({
      from: 'tickets',
      column: 'contact_id',
      to: 'contacts',
      kind: 'contact',
      path: '/contacts',
    });
    const view = recordView('tickets');
    expect(view.kind).toBe('ticket');
    expect(view.expansions).toEqual(['contact']);
    expect(view.fields).toContain('contact.<field>');
    expect(() => view.check({ fields: ['subject', 'colour'] })).toThrow(
      /fields: unknown for tickets: colour/,
    );
    expect(() => view.check({ fields: ['subject', 'contact.email'], expand: ['contact'] })).not.toThrow();
  });

  it('lists the expansions the built-in kinds declare, in their order', () => {
    expect(recordView('contacts').expansions).toEqual([
      'company',
      'open_deals',
      'open_tasks',
      'recent_activities',
    ]);
    expect(recordView('activities').expansions).toEqual(['contact', 'deal']);
  });
});
