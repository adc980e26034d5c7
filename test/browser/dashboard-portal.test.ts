import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildDashboard } from '../../scripts/build-dashboard';
import { DEFAULT_DASHBOARD_SETTINGS } from '../../src/dashboard/dashboard-settings';
import { launchChromium } from '../support/browser/launch-chromium';
import { assertPngScreenshot, saveScreenshot } from '../support/browser/dashboard-screenshots';
import { startStaticPageServer } from '../support/browser/static-page-server';
import { createPendingDelivery, createRoute, createWebhookRow } from '../support/system/fixtures';
import { serveApp } from '../support/system/serve-app';
import { useTestSystem } from '../support/system/use-test-system';

interface PortalAnswer {
  data: { id: string; url: string; expires_at: string; route_id: string | null; project_id: string };
}

describe('dashboard in a browser: portal links', function () {
  this.timeout(90_000);
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(() => buildDashboard());
  after(async () => {
    await browser?.close();
  });
  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });

  before(async () => {
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  async function newPage() {
    const context = await browser.newContext({ colorScheme: 'light' });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    return { context, page: await context.newPage() };
  }

  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${ctx.system.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${ctx.tenant.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as unknown };
  }

  async function createPortal(input: Record<string, unknown>): Promise<PortalAnswer['data']> {
    const created = await api('POST', '/v1/portal-sessions', input);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return (created.body as PortalAnswer).data;
  }

  /** Two routes of the tenant's project, a webhook on each; the portal is given the first. */
  async function twoRoutes() {
    const db = ctx.system.database.db;
    const otherRouteId = await createRoute(db, ctx.tenant.teamId, ctx.tenant.projectId);
    const mine = await createWebhookRow(db, { ...ctx.tenant, url: ctx.receiver.url });
    await db('webhooks').where({ id: mine.id }).update({ name: 'Customer hook' });
    const theirs = await createWebhookRow(db, { ...ctx.tenant, routeId: otherRouteId, url: ctx.receiver.url });
    await db('webhooks').where({ id: theirs.id }).update({ name: 'Someone else hook' });
    return { mine, theirs, otherRouteId };
  }

  it('creates a portal link with a manage token only, and bounds its lifetime', async () => {
    const trigger = await ctx.system.deps.stores.teams.createToken(ctx.tenant.teamId, 'trigger only', ['trigger']);
    const refused = await api(
      'POST',
      '/v1/portal-sessions',
      { route_id: ctx.tenant.routeId },
      {
        Authorization: `Bearer ${trigger}`,
      },
    );
    assert.equal(refused.status, 403);
    for (const lifetime of [59, 86_401]) {
      const wrong = await api('POST', '/v1/portal-sessions', {
        route_id: ctx.tenant.routeId,
        lifetime_seconds: lifetime,
      });
      assert.equal(wrong.status, 422, JSON.stringify(wrong.body));
    }
    assert.equal((await api('POST', '/v1/portal-sessions', {})).status, 422);
    const portal = await createPortal({ route_id: ctx.tenant.routeId });
    const lifetime = new Date(portal.expires_at).getTime() - Date.now();
    assert.ok(lifetime > 3_590_000 && lifetime <= 3_600_000, `default lifetime ${lifetime} ms`);
    assert.match(portal.url, /\/dashboard\/portal#token=[A-Za-z0-9_-]{20,}$/);
  });

  it("opens on its route and shows only that route's webhooks; another route is out of reach in the UI and the API", async () => {
    const { mine, theirs, otherRouteId } = await twoRoutes();
    const portal = await createPortal({ route_id: ctx.tenant.routeId, lifetime_seconds: 600 });
    const { context, page } = await newPage();
    await page.goto(portal.url);
    await page.getByRole('link', { name: 'Customer hook' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/dashboard/routes/${ctx.tenant.routeId}`);
    assert.equal(new URL(page.url()).hash, '', 'the spent token leaves the address');
    assert.equal(await page.getByText('Someone else hook').count(), 0);
    assertPngScreenshot(await saveScreenshot(page, 'portal-route'));

    const cookie = (await context.cookies()).find((c) => c.name === 'tidehook_portal');
    assert.ok(cookie, 'the portal cookie is set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, 'None');
    assert.equal(
      (await context.cookies()).find((c) => c.name === 'tidehook_session'),
      undefined,
    );

    // Through the UI: the other route's webhook is as unknown as one that never existed.
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${theirs.id}`);
    await page.getByText('This webhook does not exist.').first().waitFor();
    assert.equal(await page.getByText('Someone else hook').count(), 0);
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${mine.id}`);
    await page.getByRole('heading', { level: 1, name: 'Customer hook' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Open in Temporal' }).count(), 0);
    assert.equal(await page.getByRole('heading', { name: 'Bulk replay' }).count(), 0);

    // Through the API, from the page with its cookie and CSRF token.
    // (No named functions inside evaluate: tsx would wrap them in a helper the page does not have.)
    const csrf = await page.evaluate(
      async () => ((await (await fetch('/dashboard/api/session')).json()) as { data: { csrf_token: string } }).data,
    );
    const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf.csrf_token };
    const calls: Array<[string, string, RequestInit?]> = [
      ['mine', `/v1/webhooks/${mine.id}`],
      ['theirs', `/v1/webhooks/${theirs.id}`],
      ['theirsAttempts', `/v1/webhooks/${theirs.id}/deliveries`],
      ['theirsTest', `/v1/webhooks/${theirs.id}/test`, { method: 'POST', headers }],
      ['theirsEdit', `/v1/webhooks/${theirs.id}`, { method: 'PUT', headers, body: JSON.stringify({ name: 'taken' }) }],
      ['listMine', `/v1/webhooks?filter[route_id]=${ctx.tenant.routeId}`],
      ['listTheirs', `/v1/webhooks?filter[route_id]=${otherRouteId}`],
      ['listAll', '/v1/webhooks'],
      ['otherRoute', `/v1/routes/${otherRouteId}`],
      ['projects', '/v1/projects'],
      ['tokens', '/v1/tokens'],
      [
        'createInOther',
        '/v1/webhooks',
        {
          method: 'POST',
          headers,
          body: JSON.stringify({ route_id: otherRouteId, name: 'x', url: 'https://example.com/', events: [] }),
        },
      ],
      [
        'newPortal',
        '/v1/portal-sessions',
        { method: 'POST', headers, body: JSON.stringify({ route_id: otherRouteId }) },
      ],
    ];
    const fromPage = Object.fromEntries(
      await page.evaluate(
        async (list) => Promise.all(list.map(async ([key, path, init]) => [key, (await fetch(path, init)).status])),
        calls,
      ),
    );
    assert.deepEqual(fromPage, {
      mine: 200,
      theirs: 404,
      theirsAttempts: 404,
      theirsTest: 404,
      theirsEdit: 404,
      listMine: 200,
      listTheirs: 422,
      listAll: 422,
      otherRoute: 404,
      projects: 403,
      tokens: 403,
      createInOther: 422,
      newPortal: 403,
    });

    // The Temporal Web UI is the operator's: the API gives a portal no link to it, an operator gets one.
    const delivery = await createPendingDelivery(ctx.system.database.db, { ...ctx.tenant, webhookId: mine.id });
    const seen = await page.evaluate(
      async (id) =>
        ((await (await fetch(`/v1/deliveries/${id}`)).json()) as { temporal_ui_url: unknown }).temporal_ui_url,
      delivery.deliveryId,
    );
    assert.equal(seen, null);
    const operatorView = await api('GET', `/v1/deliveries/${delivery.deliveryId}`);
    assert.match(
      String((operatorView.body as { temporal_ui_url: unknown }).temporal_ui_url),
      /^http:\/\/127\.0\.0\.1:8233\//,
    );

    // The same cookie replayed by another client, outside any browser.
    const withCookie = async (path: string) =>
      (await fetch(`${ctx.system.baseUrl}${path}`, { headers: { Cookie: `tidehook_portal=${cookie.value}` } })).status;
    assert.equal(await withCookie(`/v1/webhooks/${mine.id}`), 200);
    assert.equal(await withCookie(`/v1/webhooks/${theirs.id}`), 404);
    assert.equal(await withCookie(`/v1/webhooks/${theirs.id}/deliveries`), 404);
    const renamed = await ctx.system.database.db('webhooks').where({ id: theirs.id }).first('name');
    assert.equal(renamed.name, 'Someone else hook');
  });

  it("opens a project's portal on the project: its routes are in reach, another project's are not", async () => {
    const db = ctx.system.database.db;
    const { mine } = await twoRoutes();
    const otherProjectId = randomUUID();
    await db('projects').insert({ id: otherProjectId, team_id: ctx.tenant.teamId, name: 'Other project' });
    const foreignRoute = await createRoute(db, ctx.tenant.teamId, otherProjectId);
    const foreign = await createWebhookRow(db, { ...ctx.tenant, routeId: foreignRoute, url: ctx.receiver.url });
    const portal = await createPortal({ project_id: ctx.tenant.projectId });
    const { page } = await newPage();
    await page.goto(portal.url);
    await page.getByRole('heading', { level: 1, name: 'Project' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/dashboard/projects/${ctx.tenant.projectId}`);
    const calls: Array<[string, string]> = [
      ['project', `/v1/projects/${ctx.tenant.projectId}`],
      ['routes', `/v1/projects/${ctx.tenant.projectId}/routes`],
      ['mine', `/v1/webhooks/${mine.id}`],
      ['otherProject', `/v1/projects/${otherProjectId}`],
      ['otherProjectRoutes', `/v1/projects/${otherProjectId}/routes`],
      ['foreignRoute', `/v1/routes/${foreignRoute}`],
      ['foreignWebhook', `/v1/webhooks/${foreign.id}`],
      ['foreignList', `/v1/webhooks?filter[route_id]=${foreignRoute}`],
    ];
    const statuses = Object.fromEntries(
      await page.evaluate(
        async (list) => Promise.all(list.map(async ([key, path]) => [key, (await fetch(path)).status])),
        calls,
      ),
    );
    assert.deepEqual(statuses, {
      project: 200,
      routes: 200,
      mine: 200,
      otherProject: 404,
      otherProjectRoutes: 404,
      foreignRoute: 404,
      foreignWebhook: 404,
      foreignList: 422,
    });
  });

  it('opens once: a second use of the link, in another browser or the same one, is refused with a clear page', async () => {
    const portal = await createPortal({ route_id: ctx.tenant.routeId });
    const first = await newPage();
    await first.page.goto(portal.url);
    await first.page.getByRole('button', { name: 'Sign out' }).waitFor();

    const second = await newPage();
    await second.page.goto(portal.url);
    await second.page.getByRole('alert').filter({ hasText: 'This portal link has already been used.' }).waitFor();
    assert.equal(await second.page.getByRole('button', { name: 'Sign out' }).count(), 0);
    assert.equal((await second.context.cookies()).length, 0);
    assertPngScreenshot(await saveScreenshot(second.page, 'portal-link-used'));

    const token = new URL(portal.url).hash.replace('#token=', '');
    const again = await fetch(`${ctx.system.baseUrl}/dashboard/api/portal-session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    assert.equal(again.status, 401);
    assert.equal(again.headers.get('set-cookie'), null);
  });

  it('refuses an expired link, an expired session and a revoked one', async () => {
    const db = ctx.system.database.db;
    const expiredLink = await createPortal({ route_id: ctx.tenant.routeId });
    await db('portal_sessions')
      .where({ id: expiredLink.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const a = await newPage();
    await a.page.goto(expiredLink.url);
    await a.page.getByRole('alert').filter({ hasText: 'This portal link has expired.' }).waitFor();

    const expiring = await createPortal({ route_id: ctx.tenant.routeId });
    const b = await newPage();
    await b.page.goto(expiring.url);
    await b.page.getByRole('button', { name: 'Sign out' }).waitFor();
    await db('portal_sessions')
      .where({ id: expiring.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    assert.equal(await b.page.evaluate(async () => (await fetch('/dashboard/api/session')).status), 401);
    assert.equal(
      await b.page.evaluate(async (id) => (await fetch(`/v1/routes/${id}`)).status, ctx.tenant.routeId),
      401,
    );
    await b.page.reload();
    await b.page.getByLabel('API token').waitFor();

    const revoked = await createPortal({ route_id: ctx.tenant.routeId });
    const c = await newPage();
    await c.page.goto(revoked.url);
    await c.page.getByRole('button', { name: 'Sign out' }).waitFor();
    const revoke = await api('DELETE', `/v1/portal-sessions/${revoked.id}`);
    assert.equal(revoke.status, 200, JSON.stringify(revoke.body));
    assert.equal(
      await c.page.evaluate(async (id) => (await fetch(`/v1/routes/${id}`)).status, ctx.tenant.routeId),
      401,
    );
  });

  it('works inside an iframe of a listed origin, and is refused by the headers to an unlisted one', async () => {
    await createWebhookRow(ctx.system.database.db, { ...ctx.tenant, url: ctx.receiver.url });
    let framed = '';
    const platform = await startStaticPageServer(
      () => `<!doctype html><title>Platform</title><iframe src="${framed}" width="900" height="700"></iframe>`,
    );
    const stranger = await startStaticPageServer(
      () => `<!doctype html><title>Stranger</title><iframe src="${framed}" width="900" height="700"></iframe>`,
    );
    // 127.0.0.1 on another port would be the same site; `localhost` makes the platform another site, as in
    // production, where only a SameSite=None cookie reaches the framed portal.
    const platformUrl = platform.url.replace('127.0.0.1', 'localhost');
    const embeddable = await serveApp({
      ...ctx.system.deps,
      dashboard: { ...DEFAULT_DASHBOARD_SETTINGS, frameAncestors: [new URL(platformUrl).origin] },
    });
    try {
      const create = await fetch(`${embeddable.baseUrl}/v1/portal-sessions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ctx.tenant.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ route_id: ctx.tenant.routeId }),
      });
      framed = ((await create.json()) as PortalAnswer).data.url;
      const { page } = await newPage();
      const frameResponse = page.waitForResponse((r) => r.url().startsWith(`${embeddable.baseUrl}/dashboard/portal`));
      await page.goto(platformUrl);
      const policy = (await frameResponse).headers()['content-security-policy'] ?? '';
      assert.match(policy, new RegExp(`frame-ancestors ${new URL(platformUrl).origin}`));
      const frame = page.frameLocator('iframe');
      await frame.getByRole('link', { name: 'Test webhook' }).first().waitFor();
      // An unsafe request from inside the frame: the cookie travels and the CSRF token goes with it.
      await frame.getByRole('link', { name: 'Test webhook' }).first().click();
      await frame.getByRole('button', { name: 'Test Webhook' }).click();
      await frame
        .getByText(/success|Delivered|200/)
        .first()
        .waitFor({ timeout: 30_000 });
      assertPngScreenshot(await saveScreenshot(page, 'portal-embedded'));

      // A page of an origin the operator did not list.
      const create2 = await fetch(`${embeddable.baseUrl}/v1/portal-sessions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ctx.tenant.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ route_id: ctx.tenant.routeId }),
      });
      framed = ((await create2.json()) as PortalAnswer).data.url;
      const refusedResponse = page.waitForResponse((r) => r.url().startsWith(`${embeddable.baseUrl}/dashboard/portal`));
      await page.goto(stranger.url);
      const refusedPolicy = (await refusedResponse).headers()['content-security-policy'] ?? '';
      assert.ok(!refusedPolicy.includes(new URL(stranger.url).origin), refusedPolicy);
      await page.waitForLoadState('load');
      const strangerFrame = page.frames().find((f) => f !== page.mainFrame());
      assert.ok(strangerFrame, 'the iframe exists');
      assert.match(strangerFrame.url(), /^chrome-error:/, 'Chromium refused to show the portal in the frame');
    } finally {
      await embeddable.close();
      await platform.close();
      await stranger.close();
    }
  });
});
