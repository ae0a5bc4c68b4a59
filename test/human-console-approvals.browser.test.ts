import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserConsoleFixture, CHROMIUM, DOC_SHOTS, OVERFLOW_CHECK } from './fixtures/browser-console.js';
import { DIALECTS } from './harness.js';

/**
 * The approvals page with its selection (checkboxes and the "Decide a selection" form, no script)
 * in Chromium at desktop and phone widths: it fits without sideways scrolling or clipped text, before
 * and after deciding a selection, and the results name each record.
 */

const skip = !DIALECTS.includes('sqlite') || (!existsSync(CHROMIUM) && !process.env.CI);

describe.skipIf(skip)('human console approvals selection in a real browser', () => {
  const fx = browserConsoleFixture();
  const { api, ownerPage } = fx;
  let base: string;
  let owner: Page;
  beforeAll(async () => {
    ({ base } = await fx.setup());
    owner = await ownerPage('ada@example.com', 'Ada');
  }, 120_000);
  afterAll(async () => fx.close());

  async function propose(count: number) {
    const contacts = (await api('GET', '/contacts?limit=50')).json.data as { id: string; name: string }[];
    const named = contacts.filter((contact) => /^[A-Z][a-z]+ [A-Z]/.test(contact.name ?? ''));
    for (const [index, contact] of named.slice(0, count).entries()) {
      const proposed = await api('POST', `/contacts/${contact.id}/proposals`, {
        changes: { email: `moved-${index}-${Date.now()}@example.com` },
      });
      expect(proposed.json.outcome).toBe('proposed');
    }
    return named.slice(0, count);
  }

  async function fits(page: Page, width: number, name: string) {
    const found: string[] = await page.evaluate(OVERFLOW_CHECK);
    await page.screenshot({ path: path.join(DOC_SHOTS, `${name}-${width}.png`), fullPage: true });
    return [...new Set(found)].map((problem) => `${name} at ${width}px: ${problem}`);
  }

  it('selects and decides proposals at 1366 and 390 px without sideways scrolling', async () => {
    const problems: string[] = [];
    for (const width of [1366, 390]) {
      const named = await propose(3);
      const page = await owner.context().newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/human/approvals`);
      expect(await page.locator('form#bulk-decide').count()).toBe(1);
      // Headlines name the records.
      for (const contact of named)
        expect(await page.locator('article h3', { hasText: `${contact.name} (contact)` }).count()).toBe(1);
      problems.push(...(await fits(page, width, 'approvals-selection')));

      const cards = page.locator('article.proposal');
      await cards.nth(0).getByLabel('Select').check();
      await cards.nth(1).getByLabel('Select').check();
      await page.getByRole('button', { name: 'Reject selected' }).click();
      await page.waitForLoadState();
      const results = page.locator('.bulk-results li');
      expect(await results.count()).toBe(2);
      expect(await page.textContent('main')).toContain('Rejected 2 of 2 selected');
      problems.push(...(await fits(page, width, 'approvals-selection-results')));

      // Decide the rest so the next width starts from the same page.
      const left = await page.locator('article.proposal').count();
      if (left > 1)
        for (let i = 0; i < left; i++)
          await page.locator('article.proposal').nth(i).getByLabel('Select').check();
      if (left > 1) await page.getByRole('button', { name: 'Approve selected' }).click();
      else if (left === 1)
        await page.locator('article.proposal').getByRole('button', { name: 'Approve', exact: true }).click();
      await page.waitForLoadState();
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
