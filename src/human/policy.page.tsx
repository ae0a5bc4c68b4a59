import { createHash } from 'node:crypto';
import type { Child } from 'hono/jsx';
import { AppError } from '../errors.js';
import type { Services } from '../services.js';
import { form, frameOf, type HumanContext, html, performOptions, seeOther } from './context.js';
import { formatValue } from './format.js';
import { GOVERNANCE } from './governance.js';
import { CsrfField, ErrorNotice, type Frame, Layout, Notice, PageHead, ReadOnlyNote } from './layout.js';
import { perform, recordData } from './perform.js';
import type { Session } from './session.js';

/**
 * The workspace policy editor. GET/PATCH /policy are built separately, so the form is drawn from
 * whatever GET /policy returns: booleans become checkboxes, numbers number fields, lists of text
 * one-per-line boxes, nested objects fieldsets. Saving sends PATCH /policy the top-level keys
 * that changed, in the shape they were read.
 */

type Kind = 'boolean' | 'number' | 'list' | 'text' | 'json';

interface FieldSpec {
  path: string[];
  kind: Kind;
  value: unknown;
}

/** Bookkeeping of the record, not policy: never offered for editing. */
const RECORD_KEYS = new Set([
  'handle',
  'id',
  'workspace_id',
  'version',
  'created_at',
  'updated_at',
  'updated_by',
  // Switched one operation at a time (policy.set_auto_approve), recording who: shown, not edited here.
  'auto_approve',
]);

function specsOf(value: Record<string, unknown>, prefix: string[] = []): FieldSpec[] {
  return Object.entries(value).flatMap(([key, item]): FieldSpec[] => {
    if (prefix.length === 0 && RECORD_KEYS.has(key)) return [];
    const path = [...prefix, key];
    if (typeof item === 'boolean') return [{ path, kind: 'boolean', value: item }];
    if (typeof item === 'number') return [{ path, kind: 'number', value: item }];
    if (typeof item === 'string') return [{ path, kind: 'text', value: item }];
    if (Array.isArray(item) && item.every((entry) => typeof entry === 'string')) {
      return [{ path, kind: 'list', value: item }];
    }
    if (item && typeof item === 'object' && !Array.isArray(item) && prefix.length < 3) {
      return specsOf(item as Record<string, unknown>, path);
    }
    return [{ path, kind: 'json', value: item }];
  });
}

const fingerprint = (specs: FieldSpec[]) =>
  createHash('sha256')
    .update(JSON.stringify(specs.map((spec) => [spec.path, spec.kind])))
    .digest('base64url')
    .slice(0, 16);

const humanize = (key: string) => {
  const words = key.replace(/[_.]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

type PolicyRead = { error: AppError | null } | { policy: Record<string, unknown> };

async function readPolicy(c: HumanContext, services: Services, session: Session): Promise<PolicyRead> {
  const done = await perform(services, session, GOVERNANCE.readPolicy, {}, performOptions(c, services));
  if (!done.ok) return { error: 'error' in done ? done.error : null };
  return { policy: recordData(done) ?? {} };
}

export async function policyPage(
  c: HumanContext,
  services: Services,
  session: Session,
  extra: { notice?: string | null; error?: AppError | null; status?: number } = {},
) {
  const read = await readPolicy(c, services, session);
  const frame = await frameOf(c, services);
  const policy = 'policy' in read ? read.policy : null;
  return html(
    c,
    <Policy
      frame={frame}
      session={session}
      editable={session.isAdmin}
      specs={policy ? specsOf(policy) : []}
      notice={extra.notice ?? null}
      error={extra.error ?? ('error' in read ? read.error : null)}
    />,
    extra.status ?? 200,
  );
}

function parseField(spec: FieldSpec, raw: string | undefined): unknown {
  const text = raw ?? '';
  switch (spec.kind) {
    case 'boolean':
      return text === 'on' || text === 'true';
    case 'number': {
      const value = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(value)) throw fieldError(spec, 'a number');
      return value;
    }
    case 'list':
      return text
        .split(/[\n,]/)
        .map((entry) => entry.trim())
        .filter(Boolean);
    case 'text':
      return text;
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        throw fieldError(spec, 'valid JSON');
      }
  }
}

const fieldError = (spec: FieldSpec, what: string) =>
  new AppError(
    'invalid_input',
    `${spec.path.join(' › ')} must be ${what}`,
    'correct the field and save again',
  );

/** POST /human/policy — PATCH /policy with the top-level keys the form changed. */
export async function savePolicy(c: HumanContext, services: Services, session: Session) {
  const read = await readPolicy(c, services, session);
  if (!('policy' in read)) return policyPage(c, services, session, { status: 503 });
  const fields = form(c);
  const specs = specsOf(read.policy);
  if (fields.fingerprint !== fingerprint(specs)) {
    const error = new AppError(
      'conflict',
      'the policy changed since you opened this page',
      'reload the page and make your change again',
    );
    return policyPage(c, services, session, { status: 409, error });
  }
  const next = structuredClone(read.policy) as Record<string, unknown>;
  try {
    specs.forEach((spec, index) => {
      let holder = next;
      for (const key of spec.path.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
      holder[spec.path.at(-1)!] = parseField(spec, fields[`f${index}`]);
    });
  } catch (error) {
    if (error instanceof AppError) return policyPage(c, services, session, { status: 400, error });
    throw error;
  }
  const changed = Object.keys(next).filter(
    (key) => !RECORD_KEYS.has(key) && JSON.stringify(next[key]) !== JSON.stringify(read.policy[key]),
  );
  if (changed.length === 0) return seeOther(c, '/human/policy');
  const patch = Object.fromEntries(changed.map((key) => [key, next[key]]));
  const done = await perform(
    services,
    session,
    GOVERNANCE.updatePolicy,
    patch,
    performOptions(c, services, fields.stepup_code || null),
  );
  if (done.ok) return seeOther(c, '/human/policy', 'policy_saved');
  return policyPage(c, services, session, { status: done.error.status, error: done.error });
}

function Policy(props: {
  frame: Frame;
  session: Session;
  editable: boolean;
  specs: FieldSpec[];
  notice: string | null;
  error: AppError | null;
}) {
  return (
    <Layout title="Policy" frame={props.frame} active="policy">
      <PageHead
        title="Workspace policy"
        lead="What your agents may do alone, what needs your approval, and what is refused."
      />
      {props.notice ? <Notice kind="ok">{props.notice}</Notice> : null}
      <ErrorNotice error={props.error} />
      {props.editable ? (
        <form method="post" action="/human/policy" class="card">
          <CsrfField token={props.frame.csrf} />
          <input type="hidden" name="fingerprint" value={fingerprint(props.specs)} />
          <PolicyFields specs={props.specs} editable />
          <button type="submit">Save policy</button>
        </form>
      ) : (
        <div class="card">
          {!props.session.isAdmin ? <ReadOnlyNote session={props.session} /> : null}
          <PolicyFields specs={props.specs} editable={false} />
        </div>
      )}
    </Layout>
  );
}

/** Fields grouped under their top-level key (a fieldset per object). */
function PolicyFields(props: { specs: FieldSpec[]; editable: boolean }) {
  const groups = new Map<string, { spec: FieldSpec; index: number }[]>();
  props.specs.forEach((spec, index) => {
    const group = spec.path.length > 1 ? spec.path[0]! : '';
    groups.set(group, [...(groups.get(group) ?? []), { spec, index }]);
  });
  const render = (entries: { spec: FieldSpec; index: number }[]): Child =>
    entries.map(({ spec, index }) =>
      props.editable ? <EditField spec={spec} index={index} /> : <ShowField spec={spec} />,
    );
  return (
    <>
      {[...groups].map(([group, entries]) =>
        group === '' ? (
          render(entries)
        ) : (
          <fieldset>
            <legend>{humanize(group)}</legend>
            {render(entries)}
          </fieldset>
        ),
      )}
    </>
  );
}

function labelOf(spec: FieldSpec): string {
  return humanize(spec.path.length > 1 ? spec.path.slice(1).join(' › ') : spec.path[0]!);
}

function EditField(props: { spec: FieldSpec; index: number }) {
  const { spec, index } = props;
  const id = `f${index}`;
  if (spec.kind === 'boolean') {
    return (
      <div class="field">
        <label>
          <input type="checkbox" name={id} checked={spec.value === true} /> {labelOf(spec)}
        </label>
      </div>
    );
  }
  return (
    <div class="field">
      <label for={id}>{labelOf(spec)}</label>
      {spec.kind === 'number' ? (
        <input id={id} name={id} type="number" step="any" value={String(spec.value)} />
      ) : spec.kind === 'text' ? (
        <input id={id} name={id} type="text" value={String(spec.value)} />
      ) : spec.kind === 'list' ? (
        <>
          <textarea id={id} name={id} aria-describedby={`${id}-help`}>
            {(spec.value as string[]).join('\n')}
          </textarea>
          <p class="help" id={`${id}-help`}>
            One per line.
          </p>
        </>
      ) : (
        <textarea id={id} name={id} class="mono">
          {JSON.stringify(spec.value, null, 2)}
        </textarea>
      )}
    </div>
  );
}

function ShowField(props: { spec: FieldSpec }) {
  return (
    <dl class="pairs">
      <dt>{labelOf(props.spec)}</dt>
      <dd>{formatValue(props.spec.value)}</dd>
    </dl>
  );
}
