import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { buildDashboard } from '../../scripts/build-dashboard';
import { launchChromium } from '../support/browser/launch-chromium';
import { createWebhookRow } from '../support/system/fixtures';
import { seedAttempts } from '../support/system/seed-attempts';
import { useTestSystem } from '../support/system/use-test-system';

interface Load {
  /** Every response of the load, bodies as served (brotli) plus headers. */
  transferredBytes: number;
  requests: number;
  /** Navigation start → the attempts table has rows and Test Webhook can be clicked. */
  interactiveMs: number;
}

const RUNS = 3;

/**
 * Issue 13 item 4: the webhook details page with 1,000 attempts, against the same page with 10, each loaded cold
 * (a new browser context: empty cache) three times, the median reported.
 */
describe('dashboard in a browser: page weight and time to interactive of the webhook details page', function () {
  this.timeout(120_000);
  let browser: Browser;

  before(() => buildDashboard());
  after(async () => {
    await browser?.close();
  });
  const ctx = useTestSystem({ temporal: 'time-skipping', tenant: true });

  before(async () => {
    browser = await launchChromium();
  });

  async function loadCold(webhookId: string): Promise<Load> {
    const context = await browser.newContext({ colorScheme: 'light' });
    try {
      context.setDefaultTimeout(30_000);
      // Signed in without loading the page, so its assets are not in the cache yet.
      const signIn = await context.request.post(`${ctx.system.baseUrl}/dashboard/api/session`, {
        data: { token: ctx.tenant.token },
      });
      assert.equal(signIn.status(), 201);
      const page = await context.newPage();
      const sizes: Array<Promise<number>> = [];
      page.on('requestfinished', (request) => {
        sizes.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
      });
      await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${webhookId}`);
      await page.locator('.attempts-table tbody tr').first().waitFor();
      const button = page.getByRole('button', { name: 'Test Webhook' });
      await button.waitFor();
      await button.click({ trial: true });
      const interactiveMs = await page.evaluate(() => performance.now());
      await page.waitForLoadState('networkidle');
      const all = await Promise.all(sizes);
      return { transferredBytes: all.reduce((a, b) => a + b, 0), requests: all.length, interactiveMs };
    } finally {
      await context.close();
    }
  }

  function median(loads: Load[]): Load {
    const pick = (key: keyof Load) => loads.map((l) => l[key]).sort((a, b) => a - b)[Math.floor(loads.length / 2)]!;
    return {
      transferredBytes: pick('transferredBytes'),
      requests: pick('requests'),
      interactiveMs: pick('interactiveMs'),
    };
  }

  it('weighs under 60 KB over the wire and is interactive within 3 s with 1,000 attempts, printing both against 10', async () => {
    const db = ctx.system.database.db;
    const many = await createWebhookRow(db, { ...ctx.tenant, url: 'https://example.com/many' });
    const few = await createWebhookRow(db, { ...ctx.tenant, url: 'https://example.com/few' });
    await seedAttempts(db, ctx.tenant, many.id, 1000);
    await seedAttempts(db, ctx.tenant, few.id, 10);
    await loadCold(few.id); // warms the server (first queries, first asset reads), not the browser
    const results: Record<string, Load[]> = { '10 attempts': [], '1,000 attempts': [] };
    for (let run = 0; run < RUNS; run++) {
      results['10 attempts']!.push(await loadCold(few.id));
      results['1,000 attempts']!.push(await loadCold(many.id));
    }
    const baseline = median(results['10 attempts']!);
    const measured = median(results['1,000 attempts']!);
    console.log(
      `      webhook details page, median of ${RUNS} cold loads:\n` +
        Object.entries({ '10 attempts': baseline, '1,000 attempts': measured })
          .map(
            ([name, load]) =>
              `        ${name}: ${(load.transferredBytes / 1024).toFixed(1)} KB transferred in ${load.requests} requests, interactive after ${Math.round(load.interactiveMs)} ms`,
          )
          .join('\n'),
    );
    assert.ok(measured.transferredBytes < 60 * 1024, `${measured.transferredBytes} bytes`);
    assert.ok(measured.interactiveMs < 3000, `${measured.interactiveMs} ms`);
    // The page shows one page of attempts, so 1,000 cost what 10 cost, give or take a page of rows.
    assert.ok(measured.transferredBytes - baseline.transferredBytes < 15 * 1024);
  });
});
