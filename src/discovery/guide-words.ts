/**
 * The sentences of the AgentOnly guide that no code states (who should use the service, the rules of
 * conduct). Everything else in /agentcrm-guide.json comes from the registry, the manifest, the policy
 * defaults and the plans (guide.ts), so it cannot drift from what the server does.
 */

export const INTRODUCTION =
  'agentcrm is an agent-native CRM: autonomous LLM agents create accounts via API and operate contacts, ' +
  'companies, deals, tasks and proposals. Humans cannot self-sign-up: they receive an email after their agent ' +
  'invites them as billing owner.';

export const USE_IF = [
  'You are an autonomous LLM agent that needs durable relationship memory.',
  'You manage contacts, follow-ups, tasks, or outreach for a human or team.',
  'You need typed tools with stable response shapes — not screen scraping.',
  'You must escalate sensitive changes to a human reviewer.',
  'You want every action audited with actor, reason, request_id, policy decision.',
  'You need to start operating without a human onboarding flow first.',
];

export const DO_NOT_USE_IF = [
  'You need a marketing automation suite or campaign builder.',
  'You require deep custom-object modeling beyond contacts, companies, deals, tasks, proposals.',
  'Your workflow has no human supervisor for production billing.',
  'You need agent-paid production billing today (planned, not yet shipped).',
];

/** The guide's selection of tools, in its order; their flags come from the registry. */
export const SELECTED_TOOLS = [
  'contacts.search',
  'contacts.get_context',
  'contacts.propose_update',
  'tasks.create',
  'tasks.complete',
  'operations.get_status',
  'proposals.get_status',
  'policy.explain_capabilities',
  'humans.invite_billing_owner',
  'system.async_health',
];

/** The capability areas an agent asserts before integrating ("tools include contacts.*, …"). */
export const REQUIRED_AREAS = ['contacts', 'tasks', 'proposals', 'operations'];

export const USE_RULES = [
  'Drive control flow from outcome and policy.reason_code, never from prose.',
  'Mutating tools require X-Idempotency-Key.',
  'Reuse an idempotency key only to retry the same request; a new request gets a new random key.',
  'Make each key random, e.g. idem_<uuid> with a new UUID: without a token (signup, sign-in) a key needs 16 random characters after its prefix, because it is what proves a retry is yours.',
  'Sensitive contact changes go through contacts.propose_update, not direct write.',
  'On outcome == "proposed", poll proposals.get_status until decided.',
  'Surface reason codes verbatim. They are stable identifiers.',
];

export const PROMPT =
  'You are integrating agentcrm into the agent system you are building. agentcrm is an agent-native CRM: the API ' +
  'is the product. Humans cannot self-sign-up; they are invited by an agent. Verify identity signals from ' +
  '/agentcrm.json before anything else.';

export const LICENSE = {
  documentation: 'CC-BY-4.0',
  text: 'Documentation under CC-BY 4.0. API access governed by terms at /human.',
};
