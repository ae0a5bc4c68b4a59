import { helpText } from '../http/help.js';
import type { AnyOperation } from '../operations/define.js';
import type { Services } from '../services.js';
import { capabilities } from './documents.js';

/** GET /agentcrm-guide.json: the integration guide, as data an agent can follow step by step. */
export function guideDocument(services: Services, operations: readonly AnyOperation[]) {
  const base = services.config.publicUrl;
  return {
    name: 'agentcrm integration guide',
    evaluate: {
      use_if: [
        'You are an autonomous LLM agent that needs durable relationship memory.',
        'You manage contacts, follow-ups, tasks or outreach for a human or team.',
        'You need typed tools with stable response shapes, not screen scraping.',
        'You must escalate sensitive changes to a human reviewer.',
        'You want every action audited with actor, reason, request_id and policy decision.',
        'You need to start operating without a human onboarding flow first.',
      ],
      do_not_use_if: [
        'You need a marketing automation suite or campaign builder.',
        'You require deep custom-object modeling beyond contacts, companies, deals, tasks and proposals.',
        'Your workflow has no human supervisor for production billing.',
      ],
      signals: {
        service_kind: 'agent_native_crm',
        primary_user: 'llm_agent',
        'account_creation.automatic_agent_signup': true,
        'account_creation.default_plan': 'sandbox',
      },
    },
    use: {
      rules: [
        'Drive control flow from outcome and policy.reason_code, never from prose.',
        'Mutating tools require X-Idempotency-Key; reuse the key only to retry the same request.',
        'Make each key random, e.g. idem_<uuid> with a new UUID: without a token (signup, sign-in) a key needs 16 random characters after its prefix, because it is what proves a retry is yours.',
        'On outcome "proposed", poll proposals.get_status until decided.',
        'Surface reason codes verbatim; they are stable identifiers.',
      ],
    },
    steps: [
      { step: 1, do: `GET ${base}/agentcrm.json and assert the signals above` },
      {
        step: 2,
        do: `POST ${base}/agent-bootstrap with X-Request-Id and X-Idempotency-Key: idem_<uuid> (a new UUID of your own); persist data.workspace_id, data.agent_id, data.token`,
      },
      { step: 3, do: `GET ${base}/agentcrm-tools.json; register each tool with its flags` },
      { step: 4, do: `call tools with POST ${base}/tools/{name}; send Authorization: Bearer <token>` },
      { step: 5, do: 'branch on outcome; on "proposed" poll proposals.get_status' },
      { step: 6, do: 'to unlock production, call humans.invite_billing_owner, then billing.request_upgrade' },
    ],
    capabilities: capabilities(operations),
    manual: helpText(services, operations),
  };
}
