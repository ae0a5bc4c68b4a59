import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserConsoleFixture, CHROMIUM, DOC_SHOTS, OVERFLOW_CHECK } from './fixtures/browser-console.js';
import { DIALECTS } from './harness.js';

/**
 * A schema change waits for a person (issue 17): the agent proposes a `projects` type; the owner
 * reads it field by field on the approvals page in Chromium, at desktop and phone widths, and
 * approves it; the type then exists for the agent.
 */

const skip = !DIALECTS.includes('sqlite') || (!existsSync(CHROMIUM) && !process.env.CI);

describe.skipIf(skip)('a proposed object type approved in the console', () => {
  const fx = browserConsoleFixture();
  const { api, ownerPage } = fx;
  let base: string;
  let owner: Page;
  beforeAll(async () => {
    ({ base } = await fx.setup());
    owner = await ownerPage('grace@example.com', 'Grace');
  }, 120_000);
  afterAll(async () => fx.close());

  it('shows the definition and its migration preview, and approving creates the type', async () => {
    const proposed = await api('POST', '/objects', {
      api_name: 'projects',
      label_singular: 'Project',
      label_plural: 'Projects',
      field_definitions: [
        { api_name: 'budget', type: 'money' },
        { api_name: 'status', type: 'select', options: ['planned', 'active', 'done'] },
        { api_name: 'company', type: 'relation', relation: { to: 'companies' } },
      ],
    });
    expect(proposed.json.outcome).toBe('proposed');
    const problems: string[] = [];
    for (const width of [1366, 390]) {
      const page = await owner.context().newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/human/approvals`);
      const card = page.locator('article.proposal', { hasText: 'create the object type projects' });
      expect(await card.count()).toBe(1);
      // Field, and what it becomes (the before column says the field is new: empty).
      const rows = await card
        .locator('table.diff tbody tr')
        .evaluateAll((trs) =>
          trs.map(
            (tr) =>
              `${tr.querySelector('th')?.textContent?.trim()} → ${tr.querySelector('td.after')?.textContent?.trim()}`,
          ),
        );
      expect(rows).toEqual([
        'object → projects (Project / Projects)',
        'fields.budget → money',
        'fields.status → select (planned, active, done)',
        'fields.company → relation → companies',
        'migration → a new type: no records yet',
      ]);
      const found: string[] = await page.evaluate(OVERFLOW_CHECK);
      problems.push(...[...new Set(found)].map((problem) => `at ${width}px: ${problem}`));
      await page.screenshot({
        path: path.join(DOC_SHOTS, `approvals-object-type-${width}.png`),
        fullPage: true,
      });
      if (width === 390) {
        await card.getByRole('button', { name: 'Approve', exact: true }).click();
        await page.waitForLoadState();
      }
      await page.close();
    }
    expect(problems).toEqual([]);
    const type = await api('GET', '/objects/projects');
    expect(type.status).toBe(200);
    expect(type.json.data.fields.map((field: { api_name: string }) => field.api_name)).toEqual([
      'budget',
      'status',
      'company',
    ]);
  });
});
