import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient } from '../../test/console.js';
import { createTestApp, DIALECTS, type TestApp } from '../../test/harness.js';
import type { StageValue } from '../workspaces/overview.js';
import { PipelineChart } from './charts.js';
import { CONTENT_SECURITY_POLICY } from './security.js';
import { InvitePage } from './signin.pages.js';
import { FAVICON_VERSION } from './styles.js';

/**
 * The console's wording and layout pieces that do not need a browser: the invite's plan note, the
 * pipeline's stage order, and the favicon. The browser side is test/human-console-layout.browser.test.ts.
 */

const frame = { csrf: 'csrf-token', session: null };
const invite = (plan: string) => ({
  workspaceName: 'Acme',
  agentName: 'sophie_outreach_agent',
  maskedEmail: 'a***@example.com',
  plan,
  expiresAt: '2026-03-08T09:00:00.000Z',
  name: 'Alex',
});
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

describe('the invite page', () => {
  it('tells a sandbox workspace it stays on the free sandbox plan until the person accepts', () => {
    const page = text(String(InvitePage({ frame, invite: invite('sandbox'), secret: 'inv_secret' })));
    expect(page).toContain('The workspace is on the free sandbox plan. It stays there until you accept');
    expect(page).toContain('you can approve its move to the production plan');
  });

  it('tells a production workspace its plan, that nothing is free, and what accepting does', () => {
    const page = text(String(InvitePage({ frame, invite: invite('production'), secret: 'inv_secret' })));
    expect(page).toContain('The workspace is on the production plan.');
    expect(page).toContain('Accepting does not change the plan');
    expect(page).not.toMatch(/free|until you accept/);
  });
});

describe('the pipeline chart', () => {
  const row = (stage: string | null, currency: string, amountCents: number): StageValue => ({
    stage,
    currency,
    deals: 1,
    amountCents,
  });

  it('orders stages along the pipeline, the same for every currency, whatever their value', () => {
    const html = String(
      PipelineChart({
        id: 'p',
        rows: [
          row('negotiation', 'USD', 9_000_00),
          row('lead', 'USD', 1_00),
          row(null, 'USD', 5_00),
          row('zz-custom', 'USD', 7_00),
          row('qualified', 'EUR', 1_00),
          row('negotiation', 'EUR', 2_00),
          row('lead', 'EUR', 9_000_00),
          row('Proposal', 'EUR', 3_00),
        ],
      }),
    );
    const charts = html.split('<svg').slice(1);
    expect(charts).toHaveLength(2);
    // Each stage's name is the first text of its group; the chart's first text is its currency.
    const stages = (svg: string) =>
      [...svg.matchAll(/<g><text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
    expect(charts[0]).toContain('>EUR</text>');
    expect(stages(charts[0]!)).toEqual(['lead', 'qualified', 'Proposal', 'negotiation']);
    expect(stages(charts[1]!)).toEqual(['lead', 'negotiation', 'zz-custom', '(no stage)']);
  });

  it('keeps a long stage name whole on its own line', () => {
    const html = String(PipelineChart({ id: 'p', rows: [row('waiting-for-legal-review', 'USD', 100)] }));
    expect(html).toContain('>waiting-for-legal-review</text>');
  });
});

describe.each(DIALECTS)('the favicon on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('is an SVG linked from every page, cached for a year at its versioned address, under the same CSP', async () => {
    const client = new ConsoleClient(t.app);
    const page = await client.get('/human');
    expect(page.html).toContain(
      `<link rel="icon" type="image/svg+xml" href="/human/favicon.svg?v=${FAVICON_VERSION}"/>`,
    );
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("img-src 'self'");

    const icon = await client.get(`/human/favicon.svg?v=${FAVICON_VERSION}`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(icon.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(icon.html).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(icon.html).not.toMatch(/<script|\son[a-z]+=/i);

    const unversioned = await client.get('/human/favicon.svg');
    expect(unversioned.headers.get('cache-control')).toBe('public, max-age=86400');
    const again = await t.app.request('http://localhost/human/favicon.svg', {
      headers: { 'if-none-match': `"${FAVICON_VERSION}"` },
    });
    expect(again.status).toBe(304);
  });
});
