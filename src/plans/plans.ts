import { z } from 'zod';

/**
 * Every plan, its caps and its request rate, in one place. The operator may override any value
 * with PLAN_OVERRIDES (JSON), e.g. `{"sandbox":{"contacts":5000,"requests_per_minute":1200}}`.
 */
export const PLAN_RESOURCES = [
  'contacts',
  'companies',
  'deals',
  'members',
  'workspaces',
  'object_types',
  'object_fields',
] as const;
export type PlanResource = (typeof PLAN_RESOURCES)[number];

export interface Plan {
  name: string;
  /**
   * How many live objects of each kind a workspace may hold (`workspaces`: how many a person may
   * create; `object_types`: active custom types; `object_fields`: active fields per type).
   */
  caps: Record<PlanResource, number>;
  /** Requests per minute per token. */
  requestsPerMinute: number;
}

export const DEFAULT_PLANS: Record<string, Plan> = {
  sandbox: {
    name: 'sandbox',
    caps: {
      contacts: 1000,
      companies: 250,
      deals: 250,
      members: 5,
      workspaces: 3,
      object_types: 5,
      object_fields: 50,
    },
    requestsPerMinute: 600,
  },
  production: {
    name: 'production',
    caps: {
      contacts: 1_000_000,
      companies: 250_000,
      deals: 250_000,
      members: 100,
      workspaces: 25,
      object_types: 50,
      object_fields: 200,
    },
    requestsPerMinute: 6000,
  },
};

const count = z.number().int().min(0);
const planOverride = z.strictObject({
  ...Object.fromEntries(PLAN_RESOURCES.map((resource) => [resource, count.optional()])),
  requests_per_minute: z.number().int().min(1).optional(),
}) as z.ZodType<Partial<Record<PlanResource | 'requests_per_minute', number>>>;

/** PLAN_OVERRIDES as read from the environment: JSON text, validated. */
export const planOverridesSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"sandbox":{"contacts":5000}}' });
      return z.NEVER;
    }
  })
  .pipe(z.partialRecord(z.enum(Object.keys(DEFAULT_PLANS) as [string, ...string[]]), planOverride))
  .transform((overrides) => resolvePlans(overrides));

export function resolvePlans(
  overrides: Partial<Record<string, Partial<Record<PlanResource | 'requests_per_minute', number>>>>,
): Readonly<Record<string, Plan>> {
  const plans: Record<string, Plan> = {};
  for (const [name, plan] of Object.entries(DEFAULT_PLANS)) {
    const override = overrides[name] ?? {};
    const caps = { ...plan.caps };
    for (const resource of PLAN_RESOURCES) caps[resource] = override[resource] ?? caps[resource];
    plans[name] = {
      name,
      caps,
      requestsPerMinute: override.requests_per_minute ?? plan.requestsPerMinute,
    };
  }
  return Object.freeze(plans);
}

/** The plan of a workspace; an unknown plan name falls back to sandbox, the most restrictive. */
export function planNamed(plans: Readonly<Record<string, Plan>>, name: string): Plan {
  return plans[name] ?? plans.sandbox!;
}
