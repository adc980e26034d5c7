import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { temporal } from '@temporalio/proto';
import { createTenant, createWebhookRow } from '../support/system/fixtures';
import { trackResource } from '../support/system/open-resources';
import { restartTestPostgres } from '../support/system/test-postgres';
import { startTestSystem, type TestSystem } from '../support/system/test-system';
import { waitUntil } from '../support/system/wait-until';

type History = temporal.api.history.v1.IHistory;

/** Every payload of a history decoded to text, and every other field as it is: what a Web UI user can read. */
function historyText(history: History): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (value === null || value === undefined) return;
    if (value instanceof Uint8Array) {
      parts.push(Buffer.from(value).toString('utf8'));
      return;
    }
    if (typeof value !== 'object') {
      parts.push(String(value));
      return;
    }
    for (const child of Object.values(value)) walk(child);
  };
  walk(history.events);
  // And the history as Temporal stores and serves it, byte for byte: nothing hides in a field the walk missed.
  parts.push(Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1'));
  return parts.join('\n');
}

function activitiesScheduled(history: History, name: string): number {
  return (history.events ?? []).filter(
    (e) =>
      e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
      e.activityTaskScheduledEventAttributes?.activityType?.name === name,
  ).length;
}

interface Probe {
  body: string;
  cookie: string;
}

/** A receiver that answers with a distinctive body and cookie, and can hold a request until told to answer. */
async function startProbeReceiver() {
  const held: Array<(status: number) => void> = [];
  const signatures: string[] = [];
  let hold = false;
  const probe: Probe = { body: '', cookie: '' };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      signatures.push(String(req.headers['x-lettermint-signature']));
      const answer = (status: number) =>
        res
          .writeHead(status, { 'content-type': 'text/plain', 'set-cookie': `session=${probe.cookie}; HttpOnly` })
          .end(probe.body);
      if (hold) held.push(answer);
      else answer(req.url?.endsWith('/failing') ? 503 : 200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const untrack = trackResource(server, `probe receiver at ${url}`);
  return {
    url,
    probe,
    signatures,
    held,
    set hold(value: boolean) {
      hold = value;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      untrack();
    },
  };
}

/**
 * Issue 12 item 3 (audit 9): a delivery's whole Temporal history, every payload decoded, holds no receiver's
 * response body, no Set-Cookie value and none of our signatures, also when its record could not be written inline
 * (Postgres down as the attempt ended) and the exchange crossed the history sealed.
 */
describe('Temporal history without customers’ data in clear', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let receiver: Awaited<ReturnType<typeof startProbeReceiver>>;
  let tenant: Awaited<ReturnType<typeof createTenant>>;

  before(async function () {
    if (process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL) this.skip();
    system = await startTestSystem({ temporal: 'dev-server' });
    receiver = await startProbeReceiver();
    tenant = await createTenant(system.database.db);
  });

  after(async () => {
    await receiver?.close();
    await system?.close();
  });

  function freshProbe(): Probe {
    receiver.probe.body = `response-body-probe-${randomUUID()}`;
    receiver.probe.cookie = `cookie-probe-${randomUUID()}`;
    return { ...receiver.probe };
  }

  async function trigger(webhookPath: string, event: string): Promise<{ deliveryId: string; workflowId: string }> {
    await createWebhookRow(system.database.db, { ...tenant, url: `${receiver.url}${webhookPath}`, events: [event] });
    const answer = await system.api('POST', '/v1/events', {
      token: tenant.token,
      body: { route_id: tenant.routeId, event, data: { note: 'payloads are fine, responses are not' } },
    });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const [delivery] = answer.body.data.deliveries;
    return { deliveryId: delivery.id, workflowId: delivery.workflow_id };
  }

  function assertNothingInClear(text: string, probe: Probe, signature: string, what: string): void {
    const v1 = /v1=([0-9a-f]{64})/.exec(signature)![1]!;
    assert.ok(!text.includes(probe.body), `${what}: the response body is in the history`);
    assert.ok(!text.includes(probe.cookie), `${what}: the Set-Cookie value is in the history`);
    assert.ok(!text.includes(v1), `${what}: our signature is in the history`);
    assert.ok(!text.includes(signature), `${what}: the signature header is in the history`);
  }

  it('keeps the body, the cookie and the signature out of the history of a delivered and a failing delivery', async () => {
    const delivered = freshProbe();
    const ok = await trigger('/ok', 'message.delivered');
    await system.client.workflow.getHandle(ok.workflowId).result();
    const okHistory = await system.client.workflow.getHandle(ok.workflowId).fetchHistory();
    const okText = historyText(okHistory);
    assert.ok(okText.includes(ok.deliveryId) && okText.includes('success'), 'the decoding sees the payloads');
    assertNothingInClear(okText, delivered, receiver.signatures.at(-1)!, 'delivered');

    const failing = freshProbe();
    const bad = await trigger('/failing', 'message.hard_bounced');
    const handle = system.client.workflow.getHandle(bad.workflowId);
    await waitUntil(
      async () =>
        ((await handle.fetchHistory()).events ?? []).some(
          (e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED,
        ),
      'the wait before attempt 2',
      30_000,
    );
    const badText = historyText(await handle.fetchHistory());
    assert.ok(badText.includes('server_error'), 'the outcome is in the history');
    assertNothingInClear(badText, failing, receiver.signatures.at(-1)!, 'failing');

    // Postgres has the whole exchange: nothing was lost by keeping it out of the history.
    const attempts = await system.database.db('attempts').whereIn('delivery_id', [ok.deliveryId, bad.deliveryId]);
    assert.deepEqual(attempts.map((a) => a.response_body).sort(), [delivered.body, failing.body].sort());
    await handle.cancel();
  });

  it('keeps them out also when Postgres was down as the attempt ended and the exchange travelled sealed', async () => {
    const probe = freshProbe();
    receiver.hold = true;
    const sealed = await trigger('/sealed', 'message.sent');
    const handle = system.client.workflow.getHandle(sealed.workflowId);
    await waitUntil(() => receiver.held.length === 1, 'the POST held at the receiver', 30_000);
    receiver.hold = false;

    await restartTestPostgres(async () => {
      receiver.held.shift()!(200);
      await waitUntil(
        async () => activitiesScheduled(await handle.fetchHistory(), 'recordSealedAttempt') >= 1,
        'recordSealedAttempt in the history',
        30_000,
      );
    });
    await handle.result();

    const history = await handle.fetchHistory();
    const text = historyText(history);
    assert.equal(activitiesScheduled(history, 'recordSealedAttempt'), 1, 'the record went the sealed way');
    assert.match(text, /enc:v2:[0-9a-f]{8}:/, 'the exchange is in the history, sealed');
    assertNothingInClear(text, probe, receiver.signatures.at(-1)!, 'sealed');
    const [attempt] = await system.database.db('attempts').where({ delivery_id: sealed.deliveryId });
    assert.equal(attempt.response_body, probe.body, 'and written to Postgres once it was back');
    assert.match(attempt.response_headers['set-cookie'], new RegExp(probe.cookie));
    assert.equal(attempt.request_headers['X-Lettermint-Signature'], receiver.signatures.at(-1));
  });
});
