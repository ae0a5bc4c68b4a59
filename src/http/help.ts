import type { AnyOperation } from '../operations/define.js';
import type { Services } from '../services.js';
import { allPaths } from './paths.js';

const toCurly = (path: string) => path.replace(/:([a-z_]+)/g, '{$1}');

/** One line per route, generated from the registry: `METHOD path  summary  [operation]`. */
export function endpointLines(operations: readonly AnyOperation[]): string[] {
  return operations.map((operation) => {
    const [path] = allPaths(operation);
    const flags = [operation.name, operation.mutating ? 'mutating' : 'read-only'];
    if (operation.auth === 'none') flags.push('no auth');
    return `${operation.http.method} ${toCurly(path!)}  ${operation.summary}  [${flags.join(', ')}]`;
  });
}

/** GET /help: the manual an agent reads first. */
export function helpText(services: Services, operations: readonly AnyOperation[]): string {
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

CONVENTIONS
-----------
- Request bodies are JSON, whatever the Content-Type says. Send only the fields you change.
- Records are addressed by handle (contact/c_...) or bare id (c_...); both work in paths.
- POST /contacts upserts by email: "# created" (201) or "# updated" (200).
- PATCH is a partial update; null clears a field; custom is merged key by key.
- Add "reason" to any write (or header X-Reason): it is kept in the audit log.
- Money is integer cents plus a currency code. Times are RFC3339, returned in UTC.

QUERY (list endpoints)
----------------------
  ?stage=lead                       eq is the default operator
  ?created_at=gte:2026-01-01T00:00:00Z   ops: eq ne gt gte lt lte like in is not
  ?stage=in:lead,qualified          comma-separated list
  ?follow_up_at=is:null             is:null / not:null
  ?custom.tier=gold  ?tags=vip      custom fields and tags
  ?company.domain=acme.com          one hop to the linked company
  ?search=acme  ?sort=-updated_at  ?limit=N (default 50, max 200)
Repeated parameters are AND-ed. search= matches every word (at least one of 3+ letters) in
names, emails, titles, phones and notes, forgives one typo in words of 5+ letters, and lists
the best matches first unless sort= is given. A value containing ":" is written eq:<value>.
When more rows remain, the answer ends with "# next: <cursor>"; repeat the request with
?cursor=<cursor> and the other parameters unchanged. Unknown fields or operators -> 400.

ENDPOINTS
---------
GET /help  this manual
GET /healthz  liveness probe (no auth)
GET /readyz  readiness probe, checks the database (no auth)
GET /openapi.json  OpenAPI 3.1 description of every route (no auth)
${endpointLines(operations).join('\n')}
`;
}
