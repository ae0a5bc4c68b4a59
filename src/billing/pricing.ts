/**
 * What metered usage costs per plan, in cents. No payment processor is called: the budget the
 * billing owner sets is checked against this estimate, and an invoice/charge step plugs in here
 * (the seam: `monthlyCost`).
 */
export const PRICES: Record<string, { per1kRequests: number; per1kRecords: number }> = {
  sandbox: { per1kRequests: 0, per1kRecords: 0 },
  production: { per1kRequests: 10, per1kRecords: 50 },
};

export interface MonthlyUsage {
  month: string;
  requests: number;
  records: number;
}

export function monthOf(now: string): string {
  return now.slice(0, 7);
}

/** The estimated charge for a month's usage on a plan, in cents (rounded up). */
export function monthlyCost(plan: string, usage: MonthlyUsage): number {
  const price = PRICES[plan] ?? PRICES.production!;
  return Math.ceil((usage.requests * price.per1kRequests + usage.records * price.per1kRecords) / 1000);
}
