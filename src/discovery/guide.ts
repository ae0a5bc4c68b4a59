import { ENVELOPE_FIELDS } from '../answer/envelope.js';
import { PRICES } from '../billing/pricing.js';
import { helpText } from '../http/help.js';
import { allPaths } from '../http/paths.js';
import { requiresIdempotencyKey } from '../operations/call.js';
import { type AnyOperation, DECISIONS, OUTCOMES, toolKind } from '../operations/define.js';
import { planNamed } from '../plans/plans.js';
import { DEFAULT_POLICY } from '../policy/policy.js';
import type { Services } from '../services.js';
import { capabilities, ENDPOINTS, IDENTITY } from './documents.js';
import * as words from './guide-words.js';

const signals = () =>
  [
    { field: 'service_kind', equals: IDENTITY.service_kind },
    { field: 'primary_user', equals: IDENTITY.primary_user },
    {
      field: 'account_creation.automatic_agent_signup',
      equals: IDENTITY.account_creation.automatic_agent_signup,
    },
    { field: 'account_creation.default_plan', equals: IDENTITY.account_creation.default_plan },
  ].map((signal) => ({ ...signal, check: `${signal.field} == ${JSON.stringify(signal.equals)}` }));

/**
 * GET /agentcrm-guide.json: the AgentOnly guide, section by section, as data. Facts come from where
 * the server keeps them (identity and endpoints from the manifest, tools and flags from the registry,
 * thresholds from the policy defaults and plans); only the guide's own sentences are written here
 * (guide-words.ts). Every URL is this server's (PUBLIC_URL).
 */
export function guideDocument(services: Services, operations: readonly AnyOperation[]) {
  const base = services.config.publicUrl;
  const tool = (name: string) => {
    const found = operations.find((operation) => operation.name === name);
    if (!found) throw new Error(`the guide names ${name}, which the registry does not have`);
    return found;
  };
  const areas = capabilities(operations);
  const bootstrap = tool('account.bootstrap');
  const invite = tool('humans.invite_billing_owner');
  const sandbox = planNamed(services.config.plans, 'sandbox');
  const free = PRICES.sandbox?.per1kRecords === 0 && PRICES.sandbox.per1kRequests === 0;

  /** The headers the guide sends with a call, and what this server does with each. */
  const headers = (operation: AnyOperation, token: string | null) => [
    {
      name: 'Content-Type',
      value: 'application/json',
      required: false,
      meaning: 'bodies are read as JSON whatever the type says',
    },
    token
      ? {
          name: 'Authorization',
          value: `Bearer ${token}`,
          required: true,
          meaning: 'the token from bootstrap',
        }
      : {
          name: 'Authorization',
          value: null,
          required: false,
          meaning: 'not needed: signup is the one call without a token',
        },
    {
      name: 'X-Agent-Tool-Name',
      value: operation.name,
      required: false,
      meaning: `when sent it must name this operation (${operation.name}), or the call is refused with invalid_input`,
    },
    {
      name: 'X-Request-Id',
      value: 'req_<unique per request>',
      required: false,
      meaning: 'echoed as request_id and logged; letters, digits and ._:- up to 128 characters',
    },
    {
      name: 'X-Idempotency-Key',
      value: 'idem_<uuid: a new UUID, the same on every retry of this call>',
      required: requiresIdempotencyKey(operation),
      meaning: 'a retry with the same key and body replays the first answer instead of acting twice',
    },
  ];
  const call = (operation: AnyOperation) => ({
    tool: operation.name,
    method: operation.http.method,
    paths: allPaths(operation),
    urls: allPaths(operation).map((path) => `${base}${path}`),
  });
  // Documents are read with GET; MCP (Streamable HTTP) takes its messages by POST.
  const route = (name: string, entry: string) => {
    const [method, path] = entry.includes(' ') ? entry.split(' ') : [name === 'mcp' ? 'POST' : 'GET', entry];
    return { method: method!, path: path!, url: `${base}${path}` };
  };

  return {
    name: 'agentcrm integration guide',
    format:
      'the AgentOnly guide as JSON: identity, endpoints, who_can_sign_up, evaluate, use, create_account, invite, integration_prompt, license',
    base_url: base,
    introduction: words.INTRODUCTION,
    identity: IDENTITY,
    endpoints: {
      auth_required_to_read: false,
      list: Object.entries(ENDPOINTS).map(([name, entry]) => ({ name, ...route(name, entry) })),
    },
    who_can_sign_up: {
      agents: `yes, automatically, via POST ${base}${bootstrap.http.path}`,
      humans:
        `no direct signup: humans are invited by their agent. The agent calls ${invite.name}; the system sends ` +
        `the human an email with a link to ${base}/human?invite=…`,
    },
    evaluate: {
      use_if: words.USE_IF,
      do_not_use_if: words.DO_NOT_USE_IF,
      signals: signals(),
      tools_include: words.REQUIRED_AREAS.filter((area) => areas.includes(area)).map((area) => `${area}.*`),
    },
    use: {
      envelope: {
        fields: ENVELOPE_FIELDS,
        outcome: OUTCOMES,
        policy_decision: DECISIONS,
        shape: {
          outcome: OUTCOMES.join(' | '),
          data: '{ ... } | [ ... ] | null',
          policy: { decision: DECISIONS.join(' | '), reason_code: '...' },
          explanation: { summary: '...', reason_codes: ['...'] },
          next_actions: [{ tool_name: '...', when: '...' }],
          warnings: [{ code: '...', message: '...' }],
          request_id: 'req_...',
          idempotency_key: 'idem_...',
          operation_id: 'op_... | null',
        },
      },
      rules: words.USE_RULES,
      tools: {
        catalog: `${base}${ENDPOINTS.tools}`,
        call: `POST ${base}/tools/{name}`,
        selected: words.SELECTED_TOOLS.map(tool).map((operation) => ({
          name: operation.name,
          kind: toolKind(operation),
          mutating: operation.mutating,
          requires_human_approval: operation.approval ?? 'never',
        })),
      },
    },
    create_account: {
      for: 'agents only',
      ...call(bootstrap),
      headers: headers(bootstrap, null),
      body: {
        agent_name: 'sophie_outreach_agent',
        agent_kind: 'llm_agent',
        intended_use: 'manage_contacts_and_followups',
        requested_plan: IDENTITY.account_creation.default_plan,
      },
      notes: [
        `requested_plan must be "${IDENTITY.account_creation.default_plan}" for automatic signup.`,
        `Production plans return outcome:"denied" with policy.reason_code: "${bootstrap.reasonCodes?.[0]}".`,
        'Persist data.workspace_id and data.agent_id.',
        'Treat data.bootstrap_token as short-lived.',
        'data.token (the same as data.bootstrap_token) is your bearer token, shown only once; it expires when unused and at data.token_expires_at.',
        'This endpoint is NOT for humans. There is no human signup form anywhere.',
      ],
    },
    invite: {
      ...call(invite),
      headers: headers(invite, '<data.token>'),
      body: {
        workspace_id: 'wrk_...',
        agent_id: 'agt_...',
        human_email: 'teammate@example.com',
        human_name: 'Alex',
      },
      result: [
        'Creates a human_invite record with a one-time token (a billing-owner invite; the token is stored hashed and only emailed).',
        `Sends the human an email with a link to ${base}/human?invite=…`,
        `Until the human accepts, the workspace remains in ${IDENTITY.account_creation.default_plan}.`,
        'A new invite withdraws a pending one; the answer says so in warnings (invite.withdrawn).',
      ],
      the_human: [
        { step: 1, do: `Opens ${base}/human?invite=…` },
        {
          step: 2,
          do: `Becomes billing owner (${tool('humans.accept_invite').name}, confirmed by an emailed code)`,
        },
        { step: 3, do: `Sets a budget (${tool('billing.set_budget').name})` },
        {
          step: 4,
          do: `Approves the agent's ${tool('billing.request_upgrade').name} (${tool('proposals.decide').name})`,
        },
      ],
    },
    integration_prompt: {
      prompt: words.PROMPT,
      verify_signals: signals().map((signal) => signal.check),
      steps: [
        `Bootstrap a sandbox: POST ${base}${bootstrap.http.path} with X-Request-Id and X-Idempotency-Key. Persist workspace_id, agent_id and token.`,
        `Fetch ${base}${ENDPOINTS.tools}. Register each tool with its kind, mutating, requires_idempotency_key, and requires_human_approval flags.`,
        'For mutating calls, supply fresh X-Request-Id and stable X-Idempotency-Key. Branch on outcome.',
        `On outcome == "proposed", poll ${tool('proposals.get_status').name}.`,
        'Surface policy.reason_code and explanation.reason_codes verbatim.',
        `To unlock production, do NOT request requested_plan: "production". Call ${invite.name} with the user's teammate email; the system emails them. After they accept, call ${tool('billing.request_upgrade').name}.`,
      ].map((text, index) => ({ step: index + 1, do: text })),
      hard_rules: [
        `Sandbox is ${free ? 'free' : 'metered'}, agent-creatable, rate-limited (${sandbox.requestsPerMinute} requests per minute per token; up to ${sandbox.caps.contacts} contacts).`,
        'Production requires a human billing owner (invited by you).',
        `Sensitive contact field updates always go through ${tool('contacts.propose_update').name} (by default: ${DEFAULT_POLICY.sensitive_contact_fields.join(', ')}).`,
        `Bulk operations above thresholds will be denied or require approval (by default more than ${DEFAULT_POLICY.bulk_approval_above} items need approval, more than ${DEFAULT_POLICY.bulk_deny_above} are denied).`,
        'Every response is machine-readable; never screen-scrape; never paraphrase reason codes.',
      ],
    },
    license: { ...words.LICENSE, api_terms: `${base}/human` },
    capabilities: areas,
    manual: helpText(services, operations),
  };
}
