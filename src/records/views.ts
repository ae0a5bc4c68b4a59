import { AppError } from '../errors.js';
import {
  type AnswerRecord,
  isRecord,
  type Projection,
  pick,
  type RecordView,
} from '../operations/projection.js';
import type { WorkspaceDb } from '../store/scoped.js';
import { compact } from './compact.js';
import type { RecordTable } from './kind.js';
import { type KindDefinition, type KindList, kindOfTable, kindsGeneration } from './kinds.js';
import { references } from './refs.js';
import { type ChildrenSpec, firstChildren, liveByIds } from './views.repository.js';

/** How many related records a list expansion (`open_deals`, `contacts`, …) carries per record. */
export const EXPAND_LIMIT = 5;

/** The part of a kind a view reads: its handle prefix, its fields and how a row becomes a record. */
type Source = Pick<KindDefinition, 'kind' | 'fields' | 'toRecord'>;

const toRecordOf = (source: Source, row: object) => source.toRecord(row as never) as Record<string, unknown>;

/** The records a record of `table` points at: `company` (through company_id) of a contact. */
const relationsOf = (table: string) =>
  references()
    .filter((ref) => ref.from === table)
    .map((ref) => ({
      name: ref.kind,
      column: ref.column,
      to: ref.to,
      source: kindOfTable(ref.to) as Source,
    }));

type Relation = ReturnType<typeof relationsOf>[number];

/** How the rows of a list expansion are read: live, and not owned by a deleted record. */
const childrenOf = (list: KindList): ChildrenSpec => ({
  ...list,
  deletable: kindOfTable(list.table).record !== undefined,
  owners: references()
    .filter((ref) => ref.from === list.table && ref.owned)
    .map((ref) => ({ column: ref.column, table: ref.to })),
});

/** Whether `field` names a field of a record of `source`: a plain field or `custom.<key>`. */
function ownField(source: Source, field: string, related = false): boolean {
  const [head, ...rest] = field.split('.');
  // Related records are read without their references: deleted_refs is the parent's own.
  if (rest.length === 0) return source.fields.includes(head!) && !(related && head === 'deleted_refs');
  return head === 'custom' && rest.length === 1 && source.fields.includes('custom');
}

const idOf = (record: Record<string, unknown>, column: string) => {
  const value = record[column];
  return typeof value === 'string' ? value : null;
};

const views = new Map<string, { generation: number; view: RecordView }>();

/** The view of `table` as the registered kinds describe it now (built once per registry state). */
function viewOf(table: string): RecordView {
  const cached = views.get(table);
  if (cached?.generation === kindsGeneration()) return cached.view;
  const view = buildView(table);
  views.set(table, { generation: kindsGeneration(), view });
  return view;
}

/**
 * `fields=` and `expand=` for the records of one table (see docs/crm.md, "Fields and expansions").
 * Operations name their view when they are defined, before the kinds are registered, so the view
 * is looked up in the registry on use.
 */
export function recordView(table: string): RecordView {
  return {
    get kind() {
      return viewOf(table).kind;
    },
    get fields() {
      return viewOf(table).fields;
    },
    get expansions() {
      return viewOf(table).expansions;
    },
    listLimit: EXPAND_LIMIT,
    check: (projection) => viewOf(table).check(projection),
    shape: (ws, data, projection) => viewOf(table).shape(ws, data, projection),
  };
}

function buildView(table: string): RecordView {
  const source = kindOfTable(table);
  const relations = relationsOf(table);
  const lists = source.lists ?? [];
  const expansions = [...relations.map((relation) => relation.name), ...lists.map((list) => list.name)];
  const fields = [
    ...source.fields.filter((field) => field !== 'handle'),
    ...(source.fields.includes('custom') ? ['custom.<key>'] : []),
    ...relations.map((relation) => `${relation.name}.<field>`),
  ];
  const relationNamed = (name: string) => relations.find((relation) => relation.name === name);

  function check({ fields: asked = [], expand = [] }: Projection) {
    const unknown = asked.filter((name) => {
      const [head, ...rest] = name.split('.');
      const relation = relationNamed(head!);
      if (relation) return rest.length === 0 || !ownField(relation.source, rest.join('.'), true);
      return !ownField(source, name);
    });
    if (unknown.length) {
      const related = relations.map(
        (relation) =>
          `${relation.name}.<field> with a field of a ${relation.name}: ${relation.source.fields.filter((f) => f !== 'handle' && f !== 'deleted_refs').join(', ')}`,
      );
      const whole = unknown.filter((name) => expansions.includes(name));
      throw new AppError(
        'invalid_input',
        `fields: unknown for ${table}: ${unknown.join(', ')}`,
        `name fields of a ${source.kind}: ${fields.join(', ')}` +
          (related.length ? `; ${related.join('; ')}` : '') +
          (whole.length ? `; for whole related records use expand=${whole.join(',')}` : ''),
        { details: { allowed: fields, expand: expansions } },
      );
    }
    const badExpansions = expand.filter((name) => !expansions.includes(name));
    if (badExpansions.length) {
      throw new AppError(
        'invalid_input',
        `expand: unknown for ${table}: ${badExpansions.join(', ')}`,
        expansions.length
          ? `expand one or more of: ${expansions.join(', ')}`
          : `${table} have nothing to expand; use fields= to choose their fields`,
        { details: { allowed: expansions } },
      );
    }
  }

  async function shape(ws: WorkspaceDb, data: unknown, projection: Projection): Promise<unknown> {
    const mine = (value: unknown): value is AnswerRecord =>
      isRecord(value) && value.handle.startsWith(`${source.kind}/`);
    const records = Array.isArray(data) ? data.filter(mine) : mine(data) ? [data] : [];
    if (records.length === 0) return data;
    const asked = projection.fields;
    const expand = new Set(projection.expand ?? []);

    // One query per relation and per list expansion for the whole page, never one per record.
    const related = new Map<Relation, Map<string, Record<string, unknown>>>();
    for (const relation of relations) {
      const wanted = expand.has(relation.name) || asked?.some((name) => name.startsWith(`${relation.name}.`));
      if (!wanted) continue;
      const ids = [
        ...new Set(records.map((record) => idOf(record, relation.column)).filter((id) => id !== null)),
      ];
      const rows = await liveByIds(ws, relation.to as RecordTable, ids);
      related.set(relation, new Map(rows.map((row) => [row.id as string, toRecordOf(relation.source, row)])));
    }
    const children = new Map<KindList, Map<string, Record<string, unknown>[]>>();
    // In the order asked for, which is the order the text lines follow.
    for (const list of [...expand].flatMap((name) => lists.filter((candidate) => candidate.name === name))) {
      const rows = await firstChildren(
        ws,
        childrenOf(list),
        records.map((record) => record.id as string),
        EXPAND_LIMIT + 1,
      );
      const byParent = new Map<string, Record<string, unknown>[]>();
      for (const row of rows) {
        const parent = row[list.column] as string;
        byParent.set(parent, [...(byParent.get(parent) ?? []), toRecordOf(kindOfTable(list.table), row)]);
      }
      children.set(list, byParent);
    }

    const shapeOne = (record: AnswerRecord) => {
      const ownNames = asked?.filter((name) => !relationNamed(name.split('.')[0]!));
      const out: Record<string, unknown> = ownNames ? pick(record, ownNames) : { ...record };
      for (const [relation, byId] of related) {
        const id = idOf(record, relation.column);
        const target = id ? byId.get(id) : undefined;
        if (expand.has(relation.name)) {
          out[relation.name] = target ? compact(target) : null;
          continue;
        }
        const subFields = asked!
          .filter((name) => name.startsWith(`${relation.name}.`))
          .map((name) => name.slice(relation.name.length + 1));
        // A deleted related record is left out, as a missing one: its id stays in deleted_refs.
        const picked = target ? pick(target, subFields) : null;
        if (picked && !subFields.includes('handle')) delete picked.handle;
        if (picked && !subFields.includes('id')) delete picked.id;
        out[relation.name] = picked;
      }
      const more: Record<string, string> = {};
      for (const [list, byParent] of children) {
        const rows = byParent.get(record.id as string) ?? [];
        // The parent is implied by the line the items follow, so their pointer to it is dropped.
        out[list.name] = rows.slice(0, EXPAND_LIMIT).map((row) => {
          const { [list.column]: _parent, ...rest } = row;
          return compact(rest);
        });
        if (rows.length > EXPAND_LIMIT) more[list.name] = list.more(record.id as string);
      }
      if (Object.keys(more).length) out.more = more;
      return out;
    };
    return Array.isArray(data)
      ? data.map((item) => (mine(item) ? shapeOne(item) : item))
      : shapeOne(data as AnswerRecord);
  }

  return { kind: source.kind, fields, expansions, listLimit: EXPAND_LIMIT, check, shape };
}
