import { ERROR_CODES } from '../errors.js';

/**
 * Every policy reason code the service can return, with its meaning. Stable identifiers: agents
 * branch on them, so a code is never renamed, only added. Published in /agentcrm-policy.json.
 */
export const REASON_CODES = {
  'policy.allowed': 'The action was allowed and applied.',
  'billing.human_owner_required_for_production':
    'Only the sandbox plan can be requested by an agent; production needs a human billing owner invited with humans.invite_billing_owner.',
} as const satisfies Record<string, string>;

export type ReasonCode = keyof typeof REASON_CODES;

/** Error codes double as reason codes on failed requests (policy.reason_code = error.code). */
export function allReasonCodes(): {
  code: string;
  kind: 'policy' | 'error';
  meaning: string;
  http_status?: number;
}[] {
  return [
    ...Object.entries(REASON_CODES).map(([code, meaning]) => ({ code, kind: 'policy' as const, meaning })),
    ...Object.entries(ERROR_CODES).map(([code, { status, meaning }]) => ({
      code,
      kind: 'error' as const,
      meaning,
      http_status: status,
    })),
  ];
}
