/**
 * Every code an answer's `warnings` may carry, with its meaning: a closed list (Warning.code is typed
 * by it), published in /agentcrm-policy.json. A warning never changes the outcome: the call did what
 * it says, and the warning tells what else the agent should know.
 */
export const WARNING_CODES = {
  limit_clamped: 'limit= was above the maximum; the page holds the maximum number of rows',
  search_broad:
    'search= matched too many records to rank; they are listed in the usual order (sort=), not by relevance',
  fields_unknown: 'fields= named fields these records do not have; they are left out',
  fields_text_fixed: 'this operation writes its own text answer, which fields= does not shorten (JSON does)',
  dry_run: 'a dry run: nothing was changed',
  policy: 'a dry run: applying it would meet the policy decision the message names',
  'policy.field_held_human_edit':
    'a field of the update was held for a human in the proposal the warning names (a person wrote it last)',
  like_literal:
    'a like: pattern holds %, which matches itself (only * is a wildcard): write like:*word* for "contains word"',
  tags_dropped: 'a merge kept only the first tags, up to the limit',
  custom_dropped: 'a merge left out custom keys over the limits',
  columns_ignored: 'an import ignored CSV columns that name no field',
  webhook_failing: 'the webhook endpoint is failing: nothing is sent until webhooks.enable',
  'invite.withdrawn':
    'a new billing-owner invite withdrew an earlier pending one: its link no longer works, only the newest can be accepted',
} as const;

export type WarningCode = keyof typeof WARNING_CODES;

export interface Warning {
  /** A documented warning code (warning-codes.ts): the compiler refuses any other. */
  code: WarningCode;
  message: string;
  /** For a field-level hold: the field held, and the proposal it waits in. */
  field?: string;
  proposal_id?: string;
}

export const allWarningCodes = () =>
  Object.entries(WARNING_CODES).map(([code, meaning]) => ({ code, meaning }));
