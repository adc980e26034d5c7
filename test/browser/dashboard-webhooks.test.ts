import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { verifyWebhookSignature } from '../../src/signature';
import { buildDashboard } from '../../scripts/build-dashboard';
import { assertPngScreenshot, saveScreenshot } from '../support/browser/dashboard-screenshots';
import { launchChromium } from '../support/browser/launch-chromium';
import { signInThroughPage } from '../support/browser/sign-in-through-page';
import { startTestReceiver, type ReceivedRequest, type TestReceiver } from '../support/system/test-receiver';
import { waitUntil } from '../support/system/wait-until';
import { useTestSystem } from '../support/system/use-test-system';

const FAILING_BODY = '<h1>Upstream down</h1><script>alert("body")</script>';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

describe('dashboard in a browser: webhooks, test deliveries, replay and secrets', function () {
  this.timeout(120_000);
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let failing: TestReceiver;
  let routeId: string;
  /** What the form created: the webhook and the secret the page showed once. */
  const created = { id: '', secret: '' };
  let failingWebhookId = '';
  const dialogs: string[] = [];

  before(() => buildDashboard());
  // Registered before the system's, so it runs first: the browser goes before the server it shows.
  after(async () => {
    await context?.close();
    await browser?.close();
    await failing?.close();
  });
  const ctx = useTestSystem({ temporal: 'dev-server', receiver: true, tenant: true });
  const { api } = ctx;
  const trigger = async (event: string, data: unknown = {}) => {
    const response = await api('POST', '/v1/events', { route_id: routeId, event, data });
    assert.equal(response.status, 202, JSON.stringify(response.body));
    return response.body.data as { id: string; deliveries: Array<{ webhook_id: string }> };
  };
  const lastRequest = (r: TestReceiver): ReceivedRequest => r.requests[r.requests.length - 1]!;

  before(async () => {
    browser = await launchChromium();
    failing = await startTestReceiver();
    failing.answer = () => ({ status: 500, body: FAILING_BODY, headers: { 'content-type': 'text/html' } });
    const project = (await api('POST', '/v1/projects', { name: 'Acme' })).body.data;
    routeId = (
      await api('POST', `/v1/projects/${project.id}/routes`, { name: 'Transactional', route_type: 'transactional' })
    ).body.data.id;
    await api('POST', `/v1/projects/${project.id}/routes`, { name: 'Newsletter', route_type: 'broadcast' });

    context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.system.baseUrl });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signInThroughPage(page, ctx.system.baseUrl, ctx.tenant.token);
  });

  it('creates a webhook through the form against a real receiver: API errors at their fields, the secret shown once', async () => {
    await page.goto(`${ctx.system.baseUrl}/dashboard/routes/${routeId}`);
    await page.getByRole('heading', { level: 1, name: 'Transactional' }).waitFor();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create webhook' });
    await dialog.getByRole('textbox', { name: 'URL', exact: true }).fill('ftp://example.com/hook');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();

    // The same request straight to the API: the form must show exactly these messages, each at its field.
    const refused = await api('POST', '/v1/webhooks', {
      route_id: routeId,
      name: '',
      url: 'ftp://example.com/hook',
      events: [],
      include_machine_events: false,
      enabled: true,
    });
    assert.equal(refused.status, 422);
    for (const [label, field] of [
      ['Name', 'name'],
      ['URL', 'url'],
    ] as const) {
      const input = dialog.getByRole('textbox', { name: label, exact: true });
      await waitUntil(
        async () => (await input.getAttribute('aria-invalid')) === 'true',
        `${label} marked invalid`,
        10_000,
      );
      const describedBy = (await input.getAttribute('aria-describedby'))!.split(' ');
      const errorText = await dialog.locator(`[id="${describedBy[describedBy.length - 1]}"]`).textContent();
      for (const message of refused.body.errors[field] as string[])
        assert.ok(errorText?.includes(message), `${errorText} has ${message}`);
    }
    const eventsGroup = dialog.getByRole('group', { name: /Events/ }).first();
    for (const message of refused.body.errors.events as string[]) await eventsGroup.getByText(message).waitFor();
    assertPngScreenshot(await saveScreenshot(page, 'create-webhook-errors', { viewportOnly: true }));

    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Production Events');
    await dialog.getByRole('textbox', { name: 'URL', exact: true }).fill(ctx.receiver.url);
    await dialog.getByRole('checkbox', { name: 'message.delivered' }).check();
    await dialog.getByRole('checkbox', { name: 'message.hard_bounced' }).check();
    assert.equal(await dialog.getByRole('switch', { name: 'Include machine events' }).isChecked(), false);
    assert.equal(await dialog.getByRole('switch', { name: 'Enabled' }).isChecked(), true);
    await dialog.getByRole('button', { name: 'Create webhook' }).click();

    const done = page.getByRole('dialog', { name: 'Webhook created' });
    const secretField = done.getByLabel('Signing secret');
    await secretField.waitFor();
    created.secret = await secretField.inputValue();
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/_=-]{40,}$/);
    await done.getByText('It will not be shown again').waitFor();
    await done.getByRole('button', { name: 'Copy secret' }).click();
    await done.getByText('Copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), created.secret);
    assertPngScreenshot(await saveScreenshot(page, 'create-webhook-secret', { viewportOnly: true }));
    await done.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('link', { name: 'Production Events' }).waitFor();

    const list = await api('GET', `/v1/webhooks?filter[route_id]=${routeId}`);
    const webhook = list.body.data.find((w: { name: string }) => w.name === 'Production Events');
    assert.ok(webhook, JSON.stringify(list.body));
    created.id = webhook.id;
    assert.deepEqual([...webhook.events].sort(), ['message.delivered', 'message.hard_bounced']);
    assert.equal(webhook.enabled, true);
    assert.equal((await api('GET', `/v1/webhooks/${created.id}`)).body.include_machine_events, false);

    // The secret the page showed is the one that signs: the receiver verifies a real event with it.
    await trigger('message.delivered', { message_id: 'msg_1' });
    const [delivered] = await ctx.receiver.waitForRequests(1, 20_000);
    verifyWebhookSignature({
      payload: delivered!.body,
      signatureHeader: delivered!.headers['x-lettermint-signature'] as string,
      secret: created.secret,
    });

    // Shown once: neither the list nor the details page has it afterwards.
    await page.reload();
    await page.getByRole('link', { name: 'Production Events' }).click();
    await page.getByRole('heading', { level: 1, name: 'Production Events' }).waitFor();
    assert.ok(!(await page.content()).includes(created.secret));
  });

  it('Test Webhook: the attempt lands and shows as success', async () => {
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${created.id}`);
    const before = ctx.receiver.requests.length;
    await page.getByRole('button', { name: 'Test Webhook' }).click();
    const outcome = page.locator('.test-outcome');
    await outcome.getByText('success').waitFor({ timeout: 30_000 });
    assert.match((await outcome.textContent()) ?? '', /HTTP 200/);
    await ctx.receiver.waitForRequests(before + 1);
    assert.equal(lastRequest(ctx.receiver).headers['x-lettermint-event'], 'webhook.test');
    const row = page.locator('.attempts-table tbody tr').filter({ hasText: 'webhook.test' }).first();
    await row.getByText('success').waitFor();
    assert.match((await row.textContent()) ?? '', /200/);
  });

  it('a failing receiver: the attempt shows server_error and its response body, as text', async () => {
    const answer = await api('POST', '/v1/webhooks', {
      route_id: routeId,
      name: 'Analytics',
      url: failing.url,
      events: ['message.delivered'],
    });
    failingWebhookId = answer.body.data.id;
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${failingWebhookId}`);
    await page.getByRole('button', { name: 'Test Webhook' }).click();
    const outcome = page.locator('.test-outcome');
    await outcome.getByText('server_error').waitFor({ timeout: 30_000 });
    assert.match((await outcome.textContent()) ?? '', /HTTP 500/);
    await outcome.getByRole('link', { name: 'View attempt' }).click();

    await page.getByRole('heading', { level: 1, name: 'Attempt 1: webhook.test' }).waitFor();
    const body = page.getByRole('region', { name: 'Response' }).getByLabel('Response body');
    assert.equal(await body.textContent(), FAILING_BODY);
    assert.equal(await page.locator('pre h1, pre script').count(), 0, 'the body is text, not markup');
    const requestHeaders = page.getByRole('table', { name: 'Request headers' });
    await requestHeaders.getByText(/x-lettermint-signature/i).waitFor();
    await page.getByRole('table', { name: 'Response headers' }).getByText('text/html').waitFor();
    assert.match(
      (await page.getByLabel('Request payload').textContent()) ?? '',
      /This is a test webhook from Lettermint/,
    );
    assert.deepEqual(dialogs, []);

    // The delivery is still retrying: the API refuses its replay (409) and the page says why.
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.locator('.replay .notice-error').waitFor();
  });

  it("shows a delivery's attempts against the 12-step schedule and when the next one is due", async () => {
    const attempts = await api('GET', `/v1/webhooks/${failingWebhookId}/deliveries`);
    const deliveryId = attempts.body.data[0].delivery_id as string;
    let delivery: any;
    await waitUntil(
      async () => {
        delivery = (await api('GET', `/v1/deliveries/${deliveryId}`)).body;
        return delivery.next_attempt_at !== null;
      },
      'a next attempt time',
      20_000,
    );
    await page.getByRole('link', { name: 'Delivery timeline' }).click();
    await page.getByRole('heading', { level: 1, name: 'Delivery of webhook.test' }).waitFor();
    const steps = page.locator('.timeline > li');
    assert.equal(await steps.count(), 12);
    assert.match((await steps.nth(0).textContent()) ?? '', /server_error.*HTTP 500/);
    assert.match((await steps.nth(1).textContent()) ?? '', /1m after attempt 1.*Next attempt/);
    assert.equal(await steps.nth(1).locator('time').first().getAttribute('datetime'), delivery.next_attempt_at);
    assert.match((await steps.nth(11).textContent()) ?? '', /6h after attempt 11/);
    const temporal = page.getByRole('link', { name: 'Open in Temporal' });
    assert.equal(await temporal.getAttribute('href'), delivery.temporal_ui_url);
    assert.match(delivery.temporal_ui_url, /\/namespaces\/default\/workflows\/delivery%3A/);
  });

  it('Replay from the page sends the same event to the receiver again', async () => {
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${created.id}`);
    await page.locator('.attempts-table tbody tr').filter({ hasText: 'message.delivered' }).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Attempt 1: message.delivered' }).waitFor();
    const original = ctx.receiver.requests.find((r) => r.headers['x-lettermint-event'] === 'message.delivered')!;
    const before = ctx.receiver.requests.length;
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByText('Replay started.').waitFor();
    const replayed = (await ctx.receiver.waitForRequests(before + 1, 20_000))[before]!;
    assert.equal(replayed.body, original.body, 'the same event, byte for byte');
    await page.getByRole('link', { name: 'Follow the new delivery' }).click();
    await page.getByRole('heading', { level: 1, name: 'Delivery of message.delivered' }).waitFor();
    await page.getByRole('link', { name: 'the original delivery' }).waitFor();
    await page.locator('.timeline > li').first().getByText('success').waitFor({ timeout: 20_000 });
  });

  // POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry: 202 {message, delivery_id}, 409 when not retryable.
  it('Retry from the page reaches the receiver again, and shows the 409 of an attempt that cannot be retried', async () => {
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${failingWebhookId}`);
    await page
      .locator('.attempts-table tbody tr')
      .filter({ hasText: 'server_error' })
      .first()
      .getByRole('link')
      .click();
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    const before = failing.requests.length;
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('link', { name: 'See the new attempt' }).waitFor();
    await failing.waitForRequests(before + 1, 20_000);

    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${created.id}`);
    await page.locator('.attempts-table tbody tr').filter({ hasText: 'success' }).first().getByRole('link').click();
    await page.getByRole('button', { name: 'Retry' }).click();
    const refusal = page.locator('.notice-error');
    await refusal.waitFor();
    assert.notEqual((await refusal.textContent())?.trim(), '', 'the API explains the 409');
  });

  it('regenerates the secret with a grace period: the new one shown once, attempts signed with both', async () => {
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${created.id}`);
    await page.locator('.actions').getByRole('button', { name: 'Regenerate secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Regenerate secret' });
    await dialog.getByLabel('Keep the old secret valid for').selectOption({ label: '1 hour' });
    await dialog.getByRole('button', { name: 'Regenerate secret' }).click();
    const shown = page.getByRole('dialog', { name: 'New secret' });
    const secret = await shown.getByLabel('Signing secret').inputValue();
    assert.match(secret, /^whsec_/);
    assert.notEqual(secret, created.secret);
    await shown.getByText('It will not be shown again').waitFor();
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });

    const before = ctx.receiver.requests.length;
    await trigger('message.hard_bounced');
    const request = (await ctx.receiver.waitForRequests(before + 1, 20_000))[before]!;
    const header = request.headers['x-lettermint-signature'] as string;
    assert.equal(header.match(/v1=/g)?.length, 2, header);
    // The old secret's signature first, the new one last (README, Receiving webhooks).
    const [t, oldV1, newV1] = header.split(',');
    const verify = (signatureHeader: string, key: string) =>
      verifyWebhookSignature({ payload: request.body, signatureHeader, secret: key });
    verify(`${t},${oldV1}`, created.secret);
    verify(`${t},${newV1}`, secret);
    assert.throws(() => verify(`${t},${oldV1}`, secret));
    created.secret = secret;
  });

  it('edits the webhook: the form starts from its settings and saves through PUT', async () => {
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${created.id}`);
    await page.locator('.actions').getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit webhook' });
    const name = dialog.getByRole('textbox', { name: 'Name', exact: true });
    assert.equal(await name.inputValue(), 'Production Events');
    assert.equal(await dialog.getByRole('checkbox', { name: 'message.hard_bounced' }).isChecked(), true);
    await name.fill('Production');
    await dialog.getByRole('checkbox', { name: 'message.sent' }).check();
    await dialog.getByRole('checkbox', { name: 'message.hard_bounced' }).uncheck();
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: 'Production' }).waitFor();
    const saved = (await api('GET', `/v1/webhooks/${created.id}`)).body;
    assert.equal(saved.name, 'Production');
    assert.deepEqual([...saved.events].sort(), ['message.delivered', 'message.sent']);
  });

  it('disables the webhook with the Enabled switch: events stop and Test Webhook is refused', async () => {
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${created.id}`);
    const enabled = page.getByRole('switch', { name: 'Enabled' });
    assert.equal(await enabled.isChecked(), true);
    await enabled.click();
    await page.locator('.title-row').getByText('Disabled').waitFor();
    assert.equal(await enabled.isChecked(), false);
    assert.equal((await api('GET', `/v1/webhooks/${created.id}`)).body.enabled, false);

    await page.getByRole('button', { name: 'Test Webhook' }).click();
    await page
      .locator('.test-outcome')
      .getByText(/disabled/i)
      .waitFor();
    const event = await trigger('message.delivered');
    assert.ok(!event.deliveries.some((d) => d.webhook_id === created.id));

    await page.reload();
    assert.equal(await page.getByRole('switch', { name: 'Enabled' }).isChecked(), false);
  });

  it(`renders a webhook named ${HOSTILE_NAME} and payloads with markup as text`, async () => {
    const routes = (
      await api('GET', `/v1/projects/${(await api('GET', `/v1/routes/${routeId}`)).body.project_id}/routes`)
    ).body.data;
    const newsletter = routes.find((r: { name: string }) => r.name === 'Newsletter');
    const hostile = (
      await api('POST', '/v1/webhooks', {
        route_id: newsletter.id,
        name: HOSTILE_NAME,
        url: `${ctx.receiver.url}?next=<script>alert(3)</script>`,
        events: ['message.sent'],
      })
    ).body.data;
    assert.ok(hostile?.id, 'the API accepts the name');
    const before = ctx.receiver.requests.length;
    await ctx.system.api('POST', '/v1/events', {
      token: ctx.tenant.token,
      body: { route_id: newsletter.id, event: 'message.sent', data: { subject: '<svg onload=alert(4)>' } },
    });
    await ctx.receiver.waitForRequests(before + 1, 20_000);

    await page.goto(`${ctx.system.baseUrl}/dashboard/routes/${newsletter.id}`);
    const link = page.getByRole('link', { name: HOSTILE_NAME });
    await link.waitFor();
    assert.equal(await link.textContent(), HOSTILE_NAME);
    await link.click();
    await page.getByRole('heading', { level: 1, name: HOSTILE_NAME }).waitFor();
    // The title follows the heading a moment later: wait for it (a slow machine once read it in between).
    await page.waitForFunction((name) => document.title.startsWith(name), HOSTILE_NAME, { timeout: 10_000 });
    assert.ok((await page.title()).startsWith(HOSTILE_NAME));
    await page.locator('.attempts-table tbody tr').first().getByRole('link').click();
    await page.getByLabel('Request payload').getByText('<svg onload=alert(4)>').waitFor();
    assert.equal(await page.locator('img, svg, main script').count(), 0);
    assert.deepEqual(dialogs, [], 'no script ran');

    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: HOSTILE_NAME }).click();
    await page.locator('.actions').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete webhook' }).getByRole('button', { name: 'Delete webhook' }).click();
    await page.getByText('No webhooks on this route yet.').waitFor();
    assert.equal((await api('GET', `/v1/webhooks/${hostile.id}`)).status, 404);
  });

  it('keeps screenshots of the main screens', async () => {
    const crumbsLoaded = () =>
      page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Acme' }).waitFor();
    await page.goto(`${ctx.system.baseUrl}/dashboard/routes/${routeId}`);
    await crumbsLoaded();
    await page.getByRole('link', { name: 'Analytics' }).waitFor();
    await page.locator('.health').first().waitFor();
    const files = [await saveScreenshot(page, 'route-webhooks')];
    await api('PUT', `/v1/webhooks/${created.id}`, { enabled: true });
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${created.id}`);
    await page.locator('.attempts-table tbody tr').nth(3).waitFor();
    await crumbsLoaded();
    files.push(await saveScreenshot(page, 'webhook-details'));
    await page.goto(`${ctx.system.baseUrl}/dashboard/webhooks/${failingWebhookId}`);
    await page.locator('.attempts-table tbody tr').first().waitFor();
    await page.locator('.attempts-table tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /^Attempt/ }).waitFor();
    await crumbsLoaded();
    files.push(await saveScreenshot(page, 'attempt-detail'));
    await page.getByRole('link', { name: 'Delivery timeline' }).click();
    await page.locator('.timeline').waitFor();
    await crumbsLoaded();
    files.push(await saveScreenshot(page, 'delivery-timeline'));
    for (const file of files) assertPngScreenshot(file);
  });
});
