import type { AnyOperation } from '../operations/define.js';
import { allWarningCodes } from '../operations/warning-codes.js';
import { DEFAULT_POLICY, policySettings } from '../policy/policy.js';
import { allReasonCodes } from '../policy/reason-codes.js';
import type { Services } from '../services.js';

const VERSION = '0.1.0';

/** The capability areas, from the operation names (contacts.search → contacts). */
export function capabilities(operations: readonly AnyOperation[]): string[] {
  return [...new Set(operations.map((operation) => operation.name.split('.')[0]!))].filter(
    (area) => area !== 'account',
  );
}

/** Who the service is for: the identity signals the manifest and the guide both publish. */
export const IDENTITY = {
  service_kind: 'agent_native_crm',
  primary_user: 'llm_agent',
  human_role: ['monitoring', 'approval', 'billing'],
  signup_mode: 'agent_bootstrap_only',
  human_signup: 'invite_only_via_agent',
  account_creation: {
    automatic_agent_signup: true,
    default_plan: 'sandbox',
    endpoint: 'POST /agent-bootstrap',
  },
  production_billing: { today: 'human_owner_required', planned: 'agent_managed' },
} as const;

/** The documents and entry points, by name (paths on this server). */
export const ENDPOINTS = {
  manifest: '/agentcrm.json',
  tools: '/agentcrm-tools.json',
  policy: '/agentcrm-policy.json',
  guide: '/agentcrm-guide.json',
  manual: '/help',
  openapi: '/openapi.json',
  llms_txt: '/llms.txt',
  skill: '/SKILL.md',
  tool_call: 'POST /tools/{name}',
  agent_bootstrap: 'POST /agent-bootstrap',
  agent_invite_human: 'POST /agent-invite-human',
  mcp: '/mcp',
} as const;

/** GET /agentcrm.json: the service manifest an agent checks before integrating. */
export function manifest(services: Services, operations: readonly AnyOperation[]) {
  return {
    name: 'agentcrm',
    version: VERSION,
    ...IDENTITY,
    base_url: services.config.publicUrl,
    auth: {
      type: 'bearer',
      header: 'Authorization: Bearer <token>',
      agents: 'POST /agent-bootstrap returns data.token',
      people: 'POST /auth/request then POST /auth/verify (emailed one-time code)',
      mcp_clients: 'OAuth 2.1 with dynamic registration and PKCE: /.well-known/oauth-authorization-server',
    },
    formats: { default: 'text/plain', json: 'Accept: application/json or ?format=json' },
    capabilities: capabilities(operations),
    endpoints: ENDPOINTS,
  };
}

/** GET /agentcrm-policy.json: the default policy and every reason code with its meaning. */
export function policyDocument() {
  return {
    version: 1,
    decisions: {
      allow: 'applied at once; outcome "applied"',
      require_approval:
        'stored as a proposal for a human; outcome "proposed" (HTTP 202); poll proposals.get_status',
      deny: 'refused; outcome "denied"; nothing changed',
    },
    defaults: {
      plan: 'sandbox',
      production_requires_human_billing_owner: true,
    },
    on_error:
      'failed requests carry outcome "error" and policy {decision: "deny", reason_code: <error code>}',
    settings: {
      ...Object.fromEntries(
        Object.entries(policySettings.shape).map(([key, schema]) => [
          key,
          { default: DEFAULT_POLICY[key as keyof typeof DEFAULT_POLICY], meaning: schema.description },
        ]),
      ),
      auto_approve: {
        default: {},
        meaning:
          'operation → {enabled_by, enabled_at}: proposals of that operation are applied at once (policy.auto_approved); switched by admins with policy.set_auto_approve (PUT /policy/auto-approve/{operation})',
      },
    },
    reason_codes: allReasonCodes(),
    warning_codes: allWarningCodes(),
  };
}
