import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { DeliveryStateGauges } from '../../src/metrics/delivery-state-gauges';
import { serveMetrics } from '../../src/metrics/serve-metrics';
import { createTenant } from '../support/system/fixtures';
import { serveApp } from '../support/system/serve-app';
import { TEST_SECRET_CIPHER } from '../support/system/test-secret-cipher';
import { startTestSystem, type TestSystem } from '../support/system/test-system';

const WEBHOOKS = 200;
const DELIVERIES_PER_WEBHOOK = 24;
const ATTEMPTS_PER_DELIVERY = 10;
const METRICS_TOKEN = 'a-metrics-token-only-prometheus-has';

/**
 * Audit 2: `/metrics` was anonymous on the API's port and ran two whole-table aggregates per scrape, so 40 scrapes
 * starved tenants' requests of connections, and it named other teams' webhooks. Now scrapes read memory only.
 */
describe('metrics: off the API port, computed in the background, no webhook ids', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  let app: Awaited<ReturnType<typeof serveApp>>;
  let webhookIds: string[];

  before(async () => {
    system = await startTestSystem({ temporal: 'time-skipping' });
    tenant = await createTenant(system.database.db);
    webhookIds = await seedFailingWebhooks();
    app = await serveApp({ ...system.deps, metricsToken: METRICS_TOKEN });
  });

  after(async () => {
    await app?.close();
    await system?.close();
  });

  /** 200 webhooks with 24 failed deliveries of 10 failed attempts each (48,000 attempts), written in bulk. */
  async function seedFailingWebhooks(): Promise<string[]> {
    const db = system.database.db;
    const eventId = (
      await db.raw(
        `INSERT INTO events (id, team_id, route_id, envelope_id, event_type, body, occurred_at)
         VALUES (gen_random_uuid(), ?, ?, 'seeded', 'message.sent', '{}', now()) RETURNING id`,
        [tenant.teamId, tenant.routeId],
      )
    ).rows[0].id as string;
    const webhooks = await db.raw(
      `INSERT INTO webhooks (id, team_id, route_id, name, url, events, secret)
       SELECT gen_random_uuid(), ?, ?, 'seeded ' || n, 'https://example.com/' || n, '{message.sent}', ?
         FROM generate_series(1, ?) n RETURNING id`,
      [tenant.teamId, tenant.routeId, TEST_SECRET_CIPHER.encrypt('whsec_seeded'), WEBHOOKS],
    );
    await db.raw(
      `INSERT INTO deliveries (id, team_id, event_id, webhook_id, route_id, workflow_id, status, finished_at)
       SELECT gen_random_uuid(), w.team_id, ?, w.id, w.route_id, 'seed:' || gen_random_uuid(), 'failed', now()
         FROM webhooks w CROSS JOIN generate_series(1, ?) WHERE w.name LIKE 'seeded %'`,
      [eventId, DELIVERIES_PER_WEBHOOK],
    );
    await db.raw(
      `INSERT INTO attempts (id, team_id, delivery_id, webhook_id, event_id, event_type, attempt_number, status,
                             http_status_code, created_at)
       SELECT gen_random_uuid(), d.team_id, d.id, d.webhook_id, d.event_id, 'message.sent', n, 'server_error', 503,
              now() - make_interval(secs => n)
         FROM deliveries d CROSS JOIN generate_series(1, ?) n WHERE d.workflow_id LIKE 'seed:%'`,
      [ATTEMPTS_PER_DELIVERY],
    );
    await db.raw('ANALYZE');
    return webhooks.rows.map((row: { id: string }) => row.id);
  }

  const scrape = (baseUrl: string, token?: string) =>
    fetch(`${baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  /** Statements the test database received while `work` ran. */
  async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
    let statements = 0;
    const count = () => statements++;
    system.database.db.on('query', count);
    try {
      await work();
    } finally {
      system.database.db.off('query', count);
    }
    return statements;
  }

  it('refuses anonymous scrapes on the API port: not served without METRICS_TOKEN, 401 without it', async () => {
    const bare = await serveApp({ ...system.deps, metricsToken: undefined });
    try {
      assert.equal((await scrape(bare.baseUrl)).status, 404, 'no METRICS_TOKEN: nothing at /metrics here');
      assert.equal((await scrape(bare.baseUrl, METRICS_TOKEN)).status, 404);
    } finally {
      await bare.close();
    }
    assert.equal((await scrape(app.baseUrl)).status, 401);
    assert.equal((await scrape(app.baseUrl, 'a-guess-of-the-same-length-as-it')).status, 401);
    assert.equal((await scrape(app.baseUrl, tenant.token)).status, 401, 'an API token is not a metrics token');
    const answer = await scrape(app.baseUrl, METRICS_TOKEN);
    assert.equal(answer.status, 200);
    assert.match(await answer.text(), /tidehook_attempts_total/);
  });

  it('serves /metrics on the METRICS_PORT listener, with the token when one is set, and /healthz beside it', async () => {
    const open = await serveMetrics(system.deps.metrics.registry, 0, '127.0.0.1');
    const guarded = await serveMetrics(system.deps.metrics.registry, 0, '127.0.0.1', () => true, METRICS_TOKEN);
    try {
      assert.equal((await scrape(`http://127.0.0.1:${open.port}`)).status, 200, 'a private listener');
      assert.equal((await scrape(`http://127.0.0.1:${guarded.port}`)).status, 401);
      assert.equal((await scrape(`http://127.0.0.1:${guarded.port}`, METRICS_TOKEN)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${guarded.port}/healthz`)).status, 200, 'health needs no token');
    } finally {
      await open.stop();
      await guarded.stop();
    }
  });

  it('names no webhook by default, only counts', async () => {
    await system.deps.metrics.deliveryState!.refresh();
    const text = await (await scrape(app.baseUrl, METRICS_TOKEN)).text();
    assert.ok(!text.includes('webhook_id'), 'no webhook_id label');
    assert.ok(!webhookIds.some((id) => text.includes(id)), 'no webhook id anywhere');
    assert.match(text, new RegExp(`\\ntidehook_failing_webhooks ${WEBHOOKS}\\n`));
    assert.match(
      text,
      new RegExp(`\\ntidehook_webhook_consecutive_failures_max ${DELIVERIES_PER_WEBHOOK * ATTEMPTS_PER_DELIVERY}\\n`),
    );
    assert.match(
      text,
      new RegExp(`\\ntidehook_deliveries\\{status="failed"\\} ${WEBHOOKS * DELIVERIES_PER_WEBHOOK}\\n`),
    );
  });

  it('answers 40 concurrent scrapes from memory: no statement, and a tenant request beside them stays fast', async () => {
    const refreshStarted = performance.now();
    const refreshStatements = await statementsDuring(() => system.deps.metrics.deliveryState!.refresh());
    const refreshMs = performance.now() - refreshStarted;

    const timed = async () => {
      const started = performance.now();
      const response = await fetch(`${system.baseUrl}/v1/projects`, {
        headers: { authorization: `Bearer ${tenant.token}` },
      });
      return { status: response.status, ms: performance.now() - started };
    };
    const alone = await timed();
    let beside!: { status: number; ms: number };
    let scrapes: Response[] = [];
    const started = performance.now();
    const statements = await statementsDuring(async () => {
      scrapes = await Promise.all(Array.from({ length: 40 }, () => scrape(app.baseUrl, METRICS_TOKEN)));
    });
    const scrapesMs = performance.now() - started;
    await Promise.all([
      (async () => (beside = await timed()))(),
      Promise.all(Array.from({ length: 40 }, () => scrape(app.baseUrl, METRICS_TOKEN))),
    ]);
    console.log(
      `        one background refresh over ${WEBHOOKS * DELIVERIES_PER_WEBHOOK * ATTEMPTS_PER_DELIVERY} attempts: ${refreshMs.toFixed(0)} ms, ${refreshStatements} statements (what every scrape used to cost)`,
    );
    console.log(
      `        40 concurrent scrapes: ${scrapesMs.toFixed(0)} ms in all, ${statements} statements; GET /v1/projects alone ${alone.ms.toFixed(0)} ms, beside 40 scrapes ${beside.ms.toFixed(0)} ms`,
    );
    assert.ok(scrapes.every((r) => r.status === 200));
    assert.equal(statements, 0, 'a scrape reads memory only');
    assert.equal(beside.status, 200);
    assert.ok(beside.ms < 1_000, `the tenant's request took ${beside.ms} ms`);
  });

  it('refreshes one at a time, within a statement timeout, keeping the last values when it fails', async () => {
    const registry = new Registry();
    const gauges = new DeliveryStateGauges(registry, system.stores.deliveryState);
    const once = await statementsDuring(() => gauges.refresh());
    const twice = await statementsDuring(() => Promise.all([gauges.refresh(), gauges.refresh(), gauges.refresh()]));
    assert.equal(twice, once, 'three refreshes at once read the database once');

    const slowRegistry = new Registry();
    const hurried = new DeliveryStateGauges(slowRegistry, system.stores.deliveryState, { statementTimeoutMs: 1 });
    await assert.rejects(hurried.refresh(), /statement timeout/);
    const text = await slowRegistry.metrics();
    assert.match(text, /\ntidehook_delivery_state_refresh_failures_total 1\n/);
    assert.match(text, /\ntidehook_delivery_state_refreshed_seconds 0\n/, 'never refreshed: it says so');
    assert.match(await registry.metrics(), /\ntidehook_failing_webhooks 200\n/);
  });
});
