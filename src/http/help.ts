import { type AnyOperation, agentsMayCall, type Caller, toolKind } from '../operations/define.js';
import type { Services } from '../services.js';
import { allPaths } from './paths.js';

const toCurly = (path: string) => path.replace(/:([a-z_]+)/g, '{$1}');

/**
 * One line per route, generated from the registry: `METHOD path  summary  [operation, flags]`, the
 * flags as in the guide's tool table (kind, mutating, approval) plus who may call it.
 */
export function endpointLines(operations: readonly AnyOperation[]): string[] {
  return operations.map((operation) => {
    const [path] = allPaths(operation);
    const flags = [
      operation.name,
      toolKind(operation),
      operation.mutating ? 'mutating' : 'not mutating',
      `approval ${operation.approval ?? 'never'}`,
    ];
    if (operation.auth === 'none') flags.push('no auth');
    else if (operation.callers === 'people') flags.push('people only');
    else if (operation.scope === 'admin') flags.push('admins only');
    return `${operation.http.method} ${toCurly(path!)}  ${operation.summary}  [${flags.join(', ')}]`;
  });
}

/**
 * The operations this caller may run at all: an agent is never refused a route it is shown (agents
 * act as members, and people-only routes refuse them), nor is a token shown routes its scopes lack.
 */
function callableBy(caller: Caller, operations: readonly AnyOperation[]): AnyOperation[] {
  return operations.filter(
    (operation) =>
      operation.auth === 'none' ||
      (caller.scopes.includes(operation.scope) &&
        (caller.principalType !== 'agent' || agentsMayCall(operation))),
  );
}

function endpointSection(operations: readonly AnyOperation[], caller: Caller | null): string {
  if (!caller) return endpointLines(operations).join('\n');
  const mine = callableBy(caller, operations);
  const who = caller.principalType === 'agent' ? 'an agent' : `a ${caller.role}`;
  return [
    `# the routes this token may call (${who}, scopes ${caller.scopes.join(',')}); ` +
      `${operations.length - mine.length} more that it may not call are left out: GET /help without a token lists them all`,
    ...endpointLines(mine),
  ].join('\n');
}

/** The relations and expansions of each kind of record, from the operations' views. */
function expansionLines(operations: readonly AnyOperation[]): string[] {
  const views = [...new Map(operations.flatMap((op) => (op.view ? [[op.view.kind, op.view]] : []))).values()];
  return views.map((view) => {
    const relations = view.fields
      .filter((name) => name.endsWith('.<field>'))
      .map((name) => name.split('.')[0]);
    return `  ${`${view.kind}:`.padEnd(10)} fields ${relations.length ? relations.map((r) => `${r}.*`).join(' ') : '(own fields only)'}; expand=${view.expansions.join(',') || '(none)'}`;
  });
}

const listLimit = (operations: readonly AnyOperation[]) =>
  operations.find((operation) => operation.view)?.view?.listLimit ?? 0;

/**
 * GET /help: the manual an agent reads first. With the caller's token the endpoint list holds only
 * what that caller may call; without, every route, marked "people only" or "admins only".
 */
export function helpText(
  services: Services,
  operations: readonly AnyOperation[],
  caller: Caller | null = null,
): string {
  const base = services.config.publicUrl;
  return `agentcrm - agent operating manual
=================================
You are talking to agentcrm, a headless CRM built for you, an AI agent, to operate over
plain HTTP. There is no UI: you are the interface. Humans monitor, approve and own billing.

BASE_URL: ${base}
AUTH: send Authorization: Bearer <token> on every request except the probes and signup.
FORMAT: plain text by default, one labeled line per record, beginning with its handle:
  contact/c_... name="Jane Doe" email=jane@acme.com stage=lead tags=vip,renewal
Add Accept: application/json (or ?format=json) for the JSON envelope:
  {outcome, data, policy, explanation, next_actions, warnings, request_id, ...}
Meta lines start with "# " (# created, # updated, # next: <cursor>, # request_id: ...).
Errors are two lines: "error <code>: <message>" and "hint: <what to do next>".

GET STARTED (agents)
--------------------
  curl -s -X POST ${base}/agent-bootstrap -d '{"agent_name":"my_agent"}'
  -> data.token: save it; send it as Authorization: Bearer <token> from now on.
  curl -s -X POST ${base}/contacts -H 'Authorization: Bearer ck_...' \\
       -d '{"name":"Jane Doe","email":"jane@acme.com","stage":"lead"}'

SIGN A PERSON IN (email code; no sign-up form: the first sign-in creates them)
------------------------------------------------------------------------------
  curl -s -X POST ${base}/auth/request -d '{"email":"you@example.com"}'
  (ask the person for the 6-digit code they received)
  curl -s -X POST ${base}/auth/verify -d '{"email":"you@example.com","code":"123456","token_name":"Claude"}'
On any 401 (auth_required / invalid_token / token_expired), repeat this flow. Tokens expire
after 30 days unused; each use renews them. GET /whoami shows role, scopes, plan and usage.
Promoting to admin and deleting a workspace answer escalation_required and email a code to
your human: repeat the SAME request with ?code=<code> (or header X-Escalation-Code).
Agents: invite your human as billing owner with POST /agent-invite-human. People approve,
set the budget and watch in the console at ${base}/human (sign in there with the emailed code).

CONVENTIONS
-----------
- Request bodies are JSON, whatever the Content-Type says. Send only the fields you change.
- Records are addressed by handle (contact/c_...) or bare id (c_...); both work in paths.
- POST /contacts upserts by email: "# created" (201) or "# updated" (200).
- PATCH is a partial update; null clears a field; custom is merged key by key.
- Add "reason" to any write (or header X-Reason): it is kept in the audit log.
- Money is integer cents plus a currency code. Times are RFC3339, returned in UTC.
- Records carry a version (ETag W/"<version>"): PATCH with If-Match: W/"<version>" (or "version"
  in the body) is refused with 409 version_conflict if someone changed the record since.
- DELETE is two-step: the first call answers confirmation_required with a token; confirm with
  your user, then repeat with ?confirm=<token>. Deleted records are restorable for 30 days
  (POST /{kind}/{id}/restore). GET /reminders lists what is due.

GOVERNANCE (agents act, humans approve)
---------------------------------------
- Branch on outcome (applied | proposed | denied | error) and policy.reason_code, never on prose.
- Writes may carry X-Idempotency-Key (tool calls must): a retry with the same key and body
  returns the first answer; another body with that key is 422 idempotency_key_reused. Every
  answer, errors included, echoes the key (idempotency_key; "# idempotency_key:" in text).
  Make keys random (idem_<uuid>, a new UUID each change); without a token (signup, sign-in)
  a key needs 16 random characters after its prefix, or it is 400 invalid_input.
- Changing a sensitive field (email, phone, do_not_contact, owner by default) of an existing
  contact, even filling an empty one, is denied here (contact.sensitive_field), by PATCH, upsert,
  batch, import, bulk update or tool alike: POST /contacts/{id}/proposals {"changes":{...},
  "reason":"..."} stores a proposal (outcome proposed, 202); poll GET /proposals/{id} until
  applied, rejected, stale or failed. A human decides; you never can. A new contact may carry
  any field. A workspace may let agents fill EMPTY ones directly (policy
  agents_fill_empty_sensitive_fields, off by default); an agent's merge that changes one waits.
- A task you assign to a person (usr_...) waits for a human's approval
  (task.person_assignee_requires_approval; policy approve_agent_tasks_for_people, on by default).
- Confirmed deletes and large batches may need approval too: an agent's batch above
  bulk_approval_above (200) waits; above bulk_deny_above (1000) it is denied (bulk.too_large).
  Batches run in the background: poll GET /operations/{id}. GET /policy shows the settings.
- ?dry_run=true on any write shows the decision and the exact diff, changing nothing.
- GET /policy/capabilities: what you may do now, and why. GET /events?since=: the change feed.
- Production needs a human billing owner: invite yours (POST /agent-invite-human), then
  POST /billing/upgrade.

QUERY (list endpoints)
----------------------
  ?stage=lead                       eq is the default operator
  ?created_at=gte:2026-01-01T00:00:00Z   ops: eq ne gt gte lt lte like in is not
  ?stage=in:lead,qualified          comma-separated list
  ?name=like:acme  ?name=like:jo*   like: contains, ASCII case ignored; * is the only wildcard
                                    (with a * the pattern is anchored: jo* starts with jo); % and _
                                    match themselves (like:100% finds "100% sure"; a % gets a
                                    like_literal warning, since SQL's %pilot% is *pilot* here)
  ?follow_up_at=is:null             is:null / not:null
  ?custom.tier=gold  ?tags=vip      custom fields and tags
  ?company.domain=acme.com          one hop to the linked company
  ?search=acme  ?sort=-updated_at  ?limit=N (default 50, max 200)
Repeated parameters are AND-ed. search= matches every word (at least one of 3+ letters) in
names, emails, titles, phones and notes, forgives one typo in words of 5+ letters, and lists
the best matches first unless sort= is given. A value containing ":" is written eq:<value>.
When more rows remain, the answer ends with "# next: <cursor>"; repeat the request with
?cursor=<cursor> and the other parameters unchanged. Unknown fields or operators -> 400.

FIELDS AND EXPANSIONS (save tokens and calls)
---------------------------------------------
  ?fields=name,email                only these fields (plus handle and id), on any answer
  ?fields=name,company.name         a related record's field: <relation>.<field>
  ?expand=company,open_deals        related records in the same answer (lists: first ${listLimit(operations)})
Tool calls (POST /tools/{name}, MCP) send "fields" and "expand" in the input, as text or a list.
${expansionLines(operations).join('\n')}
Unknown names -> 400 invalid_input whose hint lists the valid ones. In text, a related record's
fields are relation.field=value on the record's line; expanded lists follow it as indented lines
"  open_deals deal/d_... title=...". A deleted related record shows as null (absent in text).

MCP CONNECTOR (chat clients)
----------------------------
Add ${base}/mcp as a connector in an MCP client (Claude, ChatGPT, Cursor, the MCP Inspector):
the client registers itself, opens our sign-in page (email, then the emailed code, then which
workspace), and receives an ordinary token: it shows in GET /tokens, DELETE /tokens/{id} revokes
it, and the same scopes, limits and policy apply. Tools: \`request\` (method, path, optional body
-> exactly the plain text of the routes below); records_search, records_get, records_create and
records_update for contacts, companies, deals and tasks; the most used typed tools; find_operation
and call_operation for every other operation. Every operation also has a typed tool named with
underscores (contacts_search), callable whether listed or not (MCP_TOOLS=both lists them all).
Agents holding a token can use /mcp with Authorization: Bearer.

ENDPOINTS
---------
GET /help  this manual
GET /healthz  liveness probe (no auth; ?format=json for the envelope)
GET /readyz  readiness probe, checks the database (no auth; ?format=json for the envelope)
GET /openapi.json  OpenAPI 3.1 description of every route (no auth)
POST /mcp  the MCP endpoint (Streamable HTTP); OAuth metadata at /.well-known/oauth-authorization-server
${endpointSection(operations, caller)}
`;
}
