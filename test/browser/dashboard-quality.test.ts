import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildDashboard } from '../../scripts/build-dashboard';
import { assertPngScreenshot, saveScreenshot, screenshotDir } from '../support/browser/dashboard-screenshots';
import { createWebhookRow } from '../support/system/fixtures';
import { launchChromium } from '../support/browser/launch-chromium';
import { seedAttempts } from '../support/system/seed-attempts';
import { signInThroughPage } from '../support/browser/sign-in-through-page';
import { useTestSystem } from '../support/system/use-test-system';

/** What the page weighed and how soon it answered, as the browser's Performance API saw it. */
interface LoadReport {
  documentBytes: number;
  assetBytes: number;
  apiBytes: number;
  totalBytes: number;
  requests: number;
  firstContentfulPaintMs: number;
  deliveriesShownMs: number;
  lastLongTaskEndMs: number;
  timeToInteractiveMs: number;
  nextPageMs: number;
}

describe('dashboard in a browser: load time, filters, phone width, dark mode and keyboard', function () {
  this.timeout(90_000);
  let browser: Browser;
  let webhookId: string;
  /** The seeded attempts' ids, newest first, as the API pages them. */
  let attemptIds: string[];
  let storageState: Awaited<ReturnType<BrowserContext['storageState']>>;
  let context: BrowserContext | undefined;

  before(() => buildDashboard());
  // Registered before the system's, so it runs first: the browser goes before the server it shows.
  after(async () => {
    await browser?.close();
  });
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });

  before(async () => {
    browser = await launchChromium();
    const webhook = await createWebhookRow(ctx.system.database.db, { ...ctx.tenant, url: ctx.receiver.url });
    await ctx.system.database.db('webhooks').where({ id: webhook.id }).update({ name: 'Billing' });
    webhookId = webhook.id;
    attemptIds = await seedAttempts(ctx.system.database.db, ctx.tenant, webhookId, 1000);
    const signIn = await browser.newContext();
    await signInThroughPage(await signIn.newPage(), ctx.system.baseUrl, ctx.tenant.token);
    storageState = await signIn.storageState();
    await signIn.close();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  async function newPage(options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}) {
    context = await browser.newContext({
      storageState,
      colorScheme: options.colorScheme ?? 'light',
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    });
    context.setDefaultTimeout(15_000);
    return context.newPage();
  }

  const shownAttemptIds = (page: Page) =>
    page
      .locator('.attempts-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-attempt-id')));

  it('loads the details page of a webhook with 1,000 attempts small and fast (prints its weight and time to interactive)', async () => {
    const page = await newPage();
    // Long tasks are not kept by the browser unless someone listens from the start.
    await page.addInitScript(() => {
      const found: Array<{ end: number }> = [];
      (window as unknown as { longTasks: typeof found }).longTasks = found;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) found.push({ end: entry.startTime + entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${webhookId}`);
    await page.waitForFunction(() => performance.getEntriesByName('tidehook:deliveries-shown').length > 0, undefined, {
      timeout: 15_000,
    });
    assert.equal(await page.locator('.attempts-table tbody tr').count(), 30);
    assert.deepEqual(await shownAttemptIds(page), attemptIds.slice(0, 30));

    // No helper functions inside: tsx would wrap them in a `__name` call the page does not have.
    const measured = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      let assetBytes = 0;
      let apiBytes = 0;
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      for (const resource of resources) {
        const { pathname } = new URL(resource.name);
        if (pathname.startsWith('/dashboard/')) assetBytes += resource.transferSize;
        else if (pathname.startsWith('/v1/')) apiBytes += resource.transferSize;
      }
      const shown = performance.getEntriesByName('tidehook:deliveries-shown')[0]!.startTime;
      const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
      let lastLongTask = 0;
      for (const task of (window as unknown as { longTasks: Array<{ end: number }> }).longTasks) {
        if (task.end <= shown + 5000) lastLongTask = Math.max(lastLongTask, task.end);
      }
      return {
        documentBytes: navigation.transferSize,
        assetBytes,
        apiBytes,
        requests: resources.length + 1,
        firstContentfulPaintMs: Math.round(paint),
        deliveriesShownMs: Math.round(shown),
        lastLongTaskEndMs: Math.round(lastLongTask),
      };
    });
    const started = Date.now();
    await page.getByRole('button', { name: 'Older →' }).click();
    await page.waitForFunction((first) => {
      const row = document.querySelector('.attempts-table tbody tr');
      return row !== null && row.getAttribute('data-attempt-id') === first;
    }, attemptIds[30]);
    const nextPageMs = Date.now() - started;

    const report: LoadReport = {
      ...measured,
      totalBytes: measured.documentBytes + measured.assetBytes + measured.apiBytes,
      timeToInteractiveMs: Math.max(measured.deliveriesShownMs, measured.lastLongTaskEndMs),
      nextPageMs,
    };
    console.log(`      webhook details with 1,000 attempts: ${JSON.stringify(report)}`);
    fs.mkdirSync(path.dirname(screenshotDir()), { recursive: true });
    fs.writeFileSync(
      path.join(path.dirname(screenshotDir()), 'dashboard-load.json'),
      `${JSON.stringify(report, null, 2)}\n`,
    );

    assert.ok(report.assetBytes > 5_000 && report.assetBytes < 60_000, `assets weigh ${report.assetBytes} B`);
    assert.ok(report.apiBytes > 0, 'the API calls were measured');
    assert.ok(report.timeToInteractiveMs < 5_000, `interactive after ${report.timeToInteractiveMs} ms`);
  });

  it('filters deliveries by status, event type and date, and pages through them, all in the address', async () => {
    const page = await newPage();
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${webhookId}`);
    await page.locator('.attempts-table tbody tr').first().waitFor();
    const filters = page.getByRole('search', { name: 'Filter deliveries' });

    await filters.getByLabel('Status').selectOption('client_error');
    await page.waitForURL(/status=client_error/);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.attempts-table tbody tr')].every((row) =>
        row.textContent?.includes('client_error'),
      ),
    );
    assert.equal(await page.locator('.attempts-table tbody tr').count(), 30);

    await filters.getByLabel('Event type').selectOption('message.delivered');
    const expected = await ctx.system.database
      .db('attempts')
      .where({ webhook_id: webhookId, status: 'client_error', event_type: 'message.delivered' })
      .count<[{ count: string }]>();
    await page.waitForFunction(
      (count) => document.querySelectorAll('.attempts-table tbody tr').length === count,
      Number(expected[0]!.count),
    );
    for (const text of await page.locator('.attempts-table tbody tr').allTextContents()) {
      assert.match(text, /client_error.*message\.delivered/);
    }
    assert.equal(await page.getByRole('button', { name: 'Older →' }).count(), 0, 'one page only');

    await filters.getByLabel('From (UTC day)').fill('2026-01-02');
    await page.getByText('No deliveries match these filters.').waitFor();
    await filters.getByLabel('From (UTC day)').fill('2026-01-01');
    await filters.getByLabel('To (UTC day)').fill('2026-01-01');
    await page.locator('.attempts-table tbody tr').first().waitFor();

    // The address keeps the list: a reload shows the same filters and rows.
    await page.reload();
    assert.equal(await filters.getByLabel('Status').inputValue(), 'client_error');
    assert.equal(await filters.getByLabel('Event type').inputValue(), 'message.delivered');
    await page.locator('.attempts-table tbody tr').first().waitFor();

    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${webhookId}`);
    await page.locator('.attempts-table tbody tr').first().waitFor();
    for (let n = 1; n <= 2; n++) {
      await page.getByRole('button', { name: 'Older →' }).click();
      await page.waitForFunction(
        (first) => document.querySelector('.attempts-table tbody tr')?.getAttribute('data-attempt-id') === first,
        attemptIds[30 * n],
      );
    }
    assert.deepEqual(await shownAttemptIds(page), attemptIds.slice(60, 90));
    await page.getByRole('button', { name: '← Newer' }).click();
    await page.waitForFunction(
      (first) => document.querySelector('.attempts-table tbody tr')?.getAttribute('data-attempt-id') === first,
      attemptIds[30],
    );
    assert.deepEqual(await shownAttemptIds(page), attemptIds.slice(30, 60));
  });

  it("is readable at a phone's width, in dark mode", async () => {
    const page = await newPage({ colorScheme: 'dark', width: 375, height: 812 });
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${webhookId}`);
    await page.locator('.attempts-table tbody tr').first().waitFor();
    const layout = await page.evaluate(() => {
      const background = getComputedStyle(document.documentElement).backgroundColor;
      const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
      const cell = document.querySelector('.attempts-table tbody td')!;
      return {
        scrollWidth: document.documentElement.scrollWidth,
        brightness: ((r ?? 255) + (g ?? 255) + (b ?? 255)) / 3,
        cellDisplay: getComputedStyle(cell).display,
        cellLabel: getComputedStyle(cell, '::before').content,
      };
    });
    assert.ok(layout.scrollWidth <= 375, `the page is ${layout.scrollWidth} px wide`);
    assert.ok(layout.brightness < 60, `a dark background (${layout.brightness})`);
    assert.equal(layout.cellDisplay, 'grid', 'table rows become cards');
    assert.equal(layout.cellLabel, '"Status"');
    const files = [await saveScreenshot(page, 'phone-dark-webhook-details', { viewportOnly: true })];

    await page.goto(`${ctx.system.baseUrl}/dashboard/routes/${ctx.tenant.routeId}`);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create webhook' });
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 375, `the dialog spans ${box.x}..${box.x + box.width}`);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 375);
    files.push(await saveScreenshot(page, 'phone-dark-create-webhook', { viewportOnly: true }));
    for (const file of files) assertPngScreenshot(file);
  });

  it('works with the keyboard alone: skip link, labelled controls, visible focus, dialog and switch', async () => {
    const page = await newPage();
    await page.goto(`${ctx.system.baseUrl}/dashboard/routes/${ctx.tenant.routeId}`);
    await page.getByRole('link', { name: 'Billing' }).waitFor();
    // The first stop of the Tab order is the skip link, shown when focused; the screen's heading has the focus.
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
    const first = await page.evaluate(() => document.querySelector('a[href], button, input, select')?.textContent);
    assert.equal(first, 'Skip to content');
    await page.getByRole('link', { name: 'Skip to content' }).focus();
    assert.ok(((await page.getByRole('link', { name: 'Skip to content' }).boundingBox())?.y ?? -1) >= 0, 'visible');
    await page.getByRole('heading', { level: 1 }).focus();

    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'Create webhook');
    }
    assert.ok(reached, 'Tab reaches Create webhook');
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    assert.notEqual(outline.style, 'none');
    assert.ok(outline.width >= 2, `a ${outline.width} px focus ring`);

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create webhook' });
    await dialog.waitFor();
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest('dialog')), 'the focus is in the dialog');
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
        .filter((element) => {
          const control = element as HTMLInputElement;
          const named =
            (control.labels && control.labels.length > 0) ||
            control.getAttribute('aria-label') ||
            control.getAttribute('aria-labelledby') ||
            (element.tagName === 'BUTTON' && element.textContent?.trim());
          return !named;
        })
        .map((element) => element.outerHTML),
    );
    assert.deepEqual(unlabelled, []);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Create webhook', 'focus returns');

    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${webhookId}`);
    const enabled = page.getByRole('switch', { name: 'Enabled' });
    await enabled.focus();
    await page.keyboard.press('Space');
    await page.locator('.title-row').getByText('Disabled').waitFor();
    assert.equal(
      (await ctx.system.api('GET', `/v1/webhooks/${webhookId}`, { token: ctx.tenant.token })).body.enabled,
      false,
    );
    await page.keyboard.press('Space');
    await page.locator('.title-row').getByText('Enabled').waitFor();
    assert.equal(
      (await ctx.system.api('GET', `/v1/webhooks/${webhookId}`, { token: ctx.tenant.token })).body.enabled,
      true,
    );
  });

  it("bulk replay for operators: counts a window's failed deliveries, replays them and shows the progress", async () => {
    // The seed made 100 failed deliveries of 10 attempts each, created just now.
    const page = await newPage();
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${webhookId}`);
    const panel = page.locator('details.bulk-replay');
    await panel.locator('summary').click();
    await panel.getByRole('button', { name: 'Count deliveries' }).click();
    await panel.getByText('100 deliveries would be replayed.').waitFor();
    assert.equal(ctx.receiver.requests.length, 0, 'a dry run sends nothing');

    await panel.getByLabel('Rate (deliveries per second)').fill('50');
    await panel.getByRole('button', { name: 'Start replay' }).click();
    await panel.getByText(/Replay running|Replay completed/).waitFor();
    const progress = panel.locator('progress');
    assert.equal(await progress.getAttribute('max'), '100');
    await panel
      .getByText('Replay completed: 100 of 100 processed (100 replayed, 0 skipped)')
      .waitFor({ timeout: 45_000 });
    assert.equal(await progress.getAttribute('value'), '100');
    await ctx.receiver.waitForRequests(100, 45_000);
    const replays = await ctx.system.database
      .db('deliveries')
      .where({ webhook_id: webhookId })
      .whereNotNull('replay_of')
      .count<[{ count: string }]>();
    assert.equal(Number(replays[0]!.count), 100);
    const temporal = panel.getByRole('link', { name: 'Open job in Temporal' });
    assert.match((await temporal.getAttribute('href')) ?? '', /\/workflows\/replay-job%3A/);
  });
});
