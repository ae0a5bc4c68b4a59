import fc from 'fast-check';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Agent,
  bootstrapAgent,
  call,
  createTestApp,
  createTestDatabase,
  DIALECTS,
  type TestApp,
} from '../../../test/harness.js';
import { testConfig } from '../../config.js';
import { listContacts } from '../../contacts/contacts.repository.js';
import { connectStore, migrateToLatest } from '../../store/connect.js';
import { migrationProvider } from '../../store/migrations/index.js';
import { scopeTo } from '../../store/scoped.js';
import { lowerAscii, SEPARATOR_CODES } from './normalise.js';

/** The stored search document of a contact, modelled in TypeScript from its fields. */
function documentModel(c: { name: string; email: string; title: string; phone: string; note: string }) {
  const separators = new Set(SEPARATOR_CODES);
  const separate = (text: string) =>
    [...lowerAscii(text)].map((ch) => (separators.has(ch.codePointAt(0)!) ? ' ' : ch)).join('');
  const digits = c.phone.replace(/[ +()\-.]/g, '');
  let doc = ` ${separate(`${c.name} ${c.email} ${c.title}`)} | ${separate(`${c.phone} ${c.note} ${digits}`)} `;
  for (let i = 0; i < 5; i++) doc = doc.replaceAll('  ', ' ');
  return doc;
}

describe.each(DIALECTS)('search on %s', (dialect) => {
  let t: TestApp;
  let agent: Agent;
  let other: Agent;
  const ids: Record<string, string> = {};

  const post = async (label: string, body: Record<string, unknown>, token = agent.token) => {
    t.clock.advance(1000);
    const reply = await call(t.app, 'POST', '/contacts', body, { token, json: true });
    if (reply.status !== 201) throw new Error(reply.text);
    ids[label] = reply.json.data.id;
    return reply.json.data.id as string;
  };
  const search = async (query: string, token = agent.token) => {
    const reply = await call(t.app, 'GET', `/contacts?${query}`, undefined, { token, json: true });
    return reply;
  };
  const found = async (query: string, token = agent.token): Promise<string[]> => {
    const reply = await search(query, token);
    expect(reply.status, reply.text).toBe(200);
    return reply.json.data.map((c: { id: string }) => c.id);
  };
  const label = (id: string) => Object.entries(ids).find(([, value]) => value === id)?.[0] ?? id;
  const labels = async (query: string) => (await found(query)).map(label);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await bootstrapAgent(t.app, 'searcher');
    other = await bootstrapAgent(t.app, 'stranger');
    await post('acme_corp', { name: 'ACME Corp', email: 'info@acmecorp.example' });
    await post('jane', { name: 'Jane Doe', email: 'jane@acme.com', title: 'Head of Sales' });
    await post('johnson', { name: 'Mary Johnson', email: 'mary@globex.dev', phone: '+1 (555) 010-0200' });
    await post('note_rosalind', {
      name: 'Pat Quinn',
      follow_up_note: 'Ask about Rosalind and the renewal',
    });
    await post('rosalind', { name: 'Rosalind', email: 'r.franklin@kings.example' });
    await post('rosalinda', { name: 'Rosalinda Vega', title: 'CFO' });
    await post('unrelated', { name: 'Zed Zulu', email: 'zed@zulu.example', title: 'Pilot' });
    await post('stranger_kowalczyk', { name: 'Anna Kowalczyk' }, other.token);
  });
  afterAll(async () => t.close());

  it('search=acme finds ACME Corp and jane@acme.com, and nothing unrelated', async () => {
    const result = await labels('search=acme');
    expect(result.sort()).toEqual(['acme_corp', 'jane']);
    expect(await labels('search=ACME')).toEqual(await labels('search=acme'));
  });

  it('a one-letter typo in a word of five or more letters still finds it', async () => {
    for (const typo of ['jonhson', 'johnsen', 'jonson', 'johnsson', 'JOHNSNO']) {
      expect(await labels(`search=${typo}`), typo).toContain('johnson');
    }
    // Two edits away is not a typo any more.
    expect(await labels('search=jhonsen')).toEqual([]);
  });

  it('words of four letters or fewer are not corrected', async () => {
    expect(await labels('search=jnae')).toEqual([]);
    expect(await labels('search=jane')).toEqual(['jane']);
  });

  it('ranks an exact name above a prefix, a prefix above a substring in a note', async () => {
    expect(await labels('search=rosalind')).toEqual(['rosalind', 'rosalinda', 'note_rosalind']);
  });

  it('an exact email ranks first and every word of the query must match', async () => {
    expect((await labels('search=jane@acme.com'))[0]).toBe('jane');
    expect(await labels('search=jane%20sales')).toEqual(['jane']);
    expect(await labels('search=jane%20pilot')).toEqual([]);
  });

  it('finds phone numbers with or without punctuation', async () => {
    expect(await labels('search=5550100200')).toEqual(['johnson']);
    expect(await labels('search=555-010')).toEqual(['johnson']);
  });

  it('terms shorter than three characters alone are refused; beside a longer word they filter', async () => {
    const reply = await search('search=jo');
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe('invalid_query');
    expect(reply.json.error.hint).toContain('name=like:jo*');
    expect((await search('search=%40%40')).status).toBe(400);
    expect(await labels('search=ma%20johnson')).toEqual(['johnson']);
    expect(await labels('search=zz%20johnson')).toEqual([]);
  });

  it('a contact is searchable right after its create, and after an update by its new name only', async () => {
    const id = await post('fresh', { name: 'Quentin Blackwood' });
    expect(await found('search=blackwood')).toEqual([id]);
    const patch = await call(
      t.app,
      'PATCH',
      `/contacts/${id}`,
      { name: 'Quentin Whitfield' },
      { token: agent.token, json: true },
    );
    expect(patch.status).toBe(200);
    expect(await found('search=blackwood')).toEqual([]);
    expect(await found('search=whitfield')).toEqual([id]);
    expect(await found('search=whitfeild')).toEqual([id]);
  });

  it('soft-deleted contacts do not appear', async () => {
    const id = await post('doomed', { name: 'Ottoline Vanishing', email: 'otto@vanish.example' });
    expect(await found('search=ottoline')).toEqual([id]);
    await t.store.db
      .updateTable('contacts')
      .set({ deleted_at: t.clock.now().toISOString() })
      .where('id', '=', id)
      .execute();
    expect(await found('search=ottoline')).toEqual([]);
    expect(await found('search=ottolnie')).toEqual([]);
    // Restoring brings it back.
    await t.store.db.updateTable('contacts').set({ deleted_at: null }).where('id', '=', id).execute();
    expect(await found('search=ottoline')).toEqual([id]);
  });

  it("never sees another workspace's contacts or words", async () => {
    expect(await labels('search=kowalczyk')).toEqual([]);
    expect(await labels('search=kowalcyzk')).toEqual([]);
    expect((await found('search=kowalcyzk', other.token)).map(label)).toEqual(['stranger_kowalczyk']);
  });

  it('combines with filters and an explicit sort', async () => {
    expect(await labels('search=rosalind&title=CFO')).toEqual(['rosalinda']);
    expect(await labels('search=rosalind&sort=-name')).toEqual(['rosalinda', 'rosalind', 'note_rosalind']);
  });

  it('stores exactly the modelled document and vocabulary for any text', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 30 }).map((v) => v.replaceAll('\u0000', ''));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ name: text, email: text, title: text, phone: text, note: text }),
        async (generated) => {
          const id = `c_doc${String(n++).padStart(13, '0')}`;
          const fields = { ...generated, email: `${id} ${generated.email}` }; // emails are unique
          const now = t.clock.now().toISOString();
          await t.store.db
            .insertInto('contacts')
            .values({
              workspace_id: agent.workspaceId,
              id,
              name: fields.name,
              email: fields.email,
              phone: fields.phone,
              title: fields.title,
              stage: null,
              company_id: null,
              tags: '[]',
              custom: '{}',
              follow_up_at: null,
              follow_up_note: fields.note,
              do_not_contact: 0,
              owner: null,
              version: 1,
              created_at: now,
              updated_at: now,
              deleted_at: null,
            })
            .execute();
          const { rows } = await sql<{ doc: string }>`select doc from contacts_search
            where workspace_id = ${agent.workspaceId} and record_id = ${id}`.execute(t.store.db);
          const expected = documentModel(fields);
          expect(rows[0]?.doc).toBe(expected);
          const words = expected
            .split('|')[0]!
            .split(' ')
            .filter((w) => [...w].length >= 4 && [...w].length <= 40 && !/[0-9]/.test(w));
          if (words.length) {
            const known = await t.store.db
              .selectFrom('search_words')
              .select('word')
              .where('workspace_id', '=', agent.workspaceId)
              .where('word', 'in', words)
              .whereRef('key', '=', 'word')
              .execute();
            expect(new Set(known.map((k) => k.word))).toEqual(new Set(words));
          }
        },
      ),
      { numRuns: 150 },
    );
    await t.store.db.deleteFrom('contacts').where('id', 'like', 'c_doc%').execute();
  });

  it('pages through ranked results with a cursor bound to the search', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const reply = await search(`search=rosalind&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(reply.status).toBe(200);
      seen.push(...reply.json.data.map((c: { id: string }) => label(c.id)));
      cursor = reply.json.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['rosalind', 'rosalinda', 'note_rosalind']);
    const first = await search('search=rosalind&limit=1');
    const reused = await search(`search=johnson&limit=1&cursor=${first.json.next_cursor}`);
    expect(reused.status).toBe(400);
    expect(reused.json.error.code).toBe('invalid_cursor');
  });
});

describe.each(DIALECTS)('the search migration on %s', (dialect) => {
  it('indexes the contacts a database already has', async () => {
    const database = await createTestDatabase(dialect);
    const store = connectStore(testConfig(database.env));
    try {
      const schema =
        dialect === 'postgres'
          ? ((await store.db.selectNoFrom((eb) => eb.fn<string>('current_schema').as('s')).executeTakeFirst())
              ?.s as string)
          : undefined;
      const migrator = new Migrator({
        db: store.db,
        provider: migrationProvider,
        allowUnorderedMigrations: true,
        ...(schema ? { migrationTableSchema: schema } : {}),
      });
      const before = await migrator.migrateTo('0004_governance');
      expect(before.error).toBeUndefined();
      const now = '2026-03-01T09:00:00.000Z';
      await store.db
        .insertInto('workspaces')
        .values({ id: 'wrk_old', name: 'old', plan: 'sandbox', created_at: now, updated_at: now })
        .execute();
      const contact = (id: string, name: string, deleted: string | null) => ({
        workspace_id: 'wrk_old',
        id,
        name,
        email: `${id}@old.example`,
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
        version: 1,
        created_at: now,
        updated_at: now,
        deleted_at: deleted,
      });
      await store.db
        .insertInto('contacts')
        .values([
          contact('c_0000000000000001', 'Beatrix Holloway', null),
          contact('c_0000000000000002', 'Beatrix Gone', now),
        ])
        .execute();
      await migrateToLatest(store);
      const ws = scopeTo(store.db, store.dialect, 'wrk_old');
      const page = await listContacts(ws, { search: 'beatrix' });
      expect(page.rows.map((r) => r.id)).toEqual(['c_0000000000000001']);
      const typo = await listContacts(ws, { search: 'holloawy' });
      expect(typo.rows.map((r) => r.id)).toEqual(['c_0000000000000001']);
    } finally {
      await store.close();
      await database.cleanup();
    }
  });
});
