import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { DEFAULT_DASHBOARD_SETTINGS } from '../../src/dashboard/dashboard-settings';
import { buildDashboard } from '../../scripts/build-dashboard';
import { createWebhookRow } from '../support/system/fixtures';
import { launchChromium } from '../support/browser/launch-chromium';
import { serveApp } from '../support/system/serve-app';
import { signInThroughPage } from '../support/browser/sign-in-through-page';
import { startStaticPageServer } from '../support/browser/static-page-server';
import { useTestSystem } from '../support/system/use-test-system';

describe('dashboard in a browser: sign-in, CSRF and framing', function () {
  this.timeout(90_000);
  let browser: Browser;
  let context: BrowserContext | undefined;

  before(() => buildDashboard());
  // Registered before the system's, so it runs first: the browser goes before the server it shows.
  after(async () => {
    await browser?.close();
  });
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });

  before(async () => {
    browser = await launchChromium();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  async function newPage() {
    context = await browser.newContext({ colorScheme: 'light' });
    context.setDefaultTimeout(15_000);
    return context.newPage();
  }

  it('signs in with an API token into an HttpOnly, SameSite=Strict cookie, keeping the token nowhere, and signs out', async () => {
    const page = await newPage();
    await page.goto(`${ctx.system.baseUrl}/dashboard/`);
    await page.getByLabel('API token').fill('th_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Unknown token.' }).waitFor();

    await page.getByLabel('API token').fill(ctx.tenant.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    await page.getByRole('link', { name: 'Project' }).first().waitFor();

    const cookies = await context!.cookies();
    const session = cookies.find((cookie) => cookie.name === 'tidehook_session');
    assert.ok(session, JSON.stringify(cookies));
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/');
    const visible = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      url: location.href,
    }));
    assert.ok(!visible.cookie.includes('tidehook_session'), 'scripts cannot read the session cookie');
    for (const place of [visible.local, visible.session, visible.url, session.value]) {
      assert.ok(!place.includes(ctx.tenant.token), `the token is kept in ${place}`);
    }

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    await page.getByText('You are signed out.').waitFor();
    await page.reload();
    await page.getByLabel('API token').waitFor();
    const status = await page.evaluate(async () => (await fetch('/v1/projects')).status);
    assert.equal(status, 401);
  });

  it('refuses a form posted with the session cookie but without the CSRF token, from the page or another origin', async () => {
    const webhook = await createWebhookRow(ctx.system.database.db, { ...ctx.tenant, url: ctx.receiver.url });
    const page = await newPage();
    await signInThroughPage(page, ctx.system.baseUrl, ctx.tenant.token);
    const before = ctx.receiver.requests.length;

    // A plain HTML form on the dashboard's own origin: the browser sends the cookie, not the token.
    await page.evaluate((action) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = action;
      document.body.append(form);
      form.submit();
    }, `/v1/webhooks/${webhook.id}/test`);
    await page.waitForURL(`**/v1/webhooks/${webhook.id}/test`);
    assert.deepEqual(JSON.parse((await page.locator('body').textContent()) ?? ''), {
      message: 'Missing or invalid CSRF token.',
    });

    // A page of another origin on the same site (another port of 127.0.0.1), where SameSite lets the cookie go.
    const attacker = await startStaticPageServer(
      () =>
        `<!doctype html><form id="f" method="post" action="${ctx.system.baseUrl}/v1/webhooks/${webhook.id}/test"></form>` +
        `<script>document.getElementById('f').submit()</script>`,
    );
    try {
      const response = page.waitForResponse(`${ctx.system.baseUrl}/v1/webhooks/${webhook.id}/test`);
      await page.goto(attacker.url);
      assert.equal((await response).status(), 403);
    } finally {
      await attacker.close();
    }

    await page.goto(`${ctx.system.baseUrl}/dashboard/`);
    const withoutHeader = await page.evaluate(
      async (path) => (await fetch(path, { method: 'POST', credentials: 'same-origin' })).status,
      `/v1/webhooks/${webhook.id}/test`,
    );
    assert.equal(withoutHeader, 403);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(ctx.receiver.requests.length, before, 'no test webhook was sent');
    const attempts = await ctx.system.database
      .db('attempts')
      .where({ webhook_id: webhook.id })
      .count<[{ count: string }]>();
    assert.equal(Number(attempts[0]!.count), 0);
  });

  it('can be framed by the origins the operator lists, and by no one else', async () => {
    let framed = '';
    const platform = await startStaticPageServer(
      () => `<!doctype html><title>Platform</title><iframe src="${framed}" width="800" height="600"></iframe>`,
    );
    const embeddable = await serveApp({
      ...ctx.system.deps,
      dashboard: { ...DEFAULT_DASHBOARD_SETTINGS, frameAncestors: [new URL(platform.url).origin] },
    });
    try {
      const page = await newPage();
      framed = `${embeddable.baseUrl}/dashboard/`;
      await page.goto(platform.url);
      await page.frameLocator('iframe').getByLabel('API token').waitFor();

      // The same parent page, framing a dashboard that lists no ancestors (the default).
      framed = `${ctx.system.baseUrl}/dashboard/`;
      const refused = page.waitForResponse(framed);
      await page.goto(platform.url);
      assert.match((await refused).headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/);
      await page.waitForLoadState('load');
      const frame = page.frames().find((f) => f !== page.mainFrame());
      assert.ok(frame, 'the iframe exists');
      assert.match(frame.url(), /^chrome-error:/, 'Chromium refused to show the page in the frame');
      assert.equal(await page.frameLocator('iframe').getByLabel('API token').count(), 0);
    } finally {
      await embeddable.close();
      await platform.close();
    }
  });
});
