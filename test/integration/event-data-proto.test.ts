import assert from 'node:assert/strict';
import { createWebhookRow } from '../support/system/fixtures';
import { useTestSystem } from '../support/system/use-test-system';

/**
 * Audit 16: a `__proto__` key in event data used to vanish from the stored and delivered body. It is kept, byte for
 * byte, wherever it is; the request is sent as raw text because a JavaScript object literal cannot hold such a key.
 */
describe('__proto__ in event data', function () {
  this.timeout(60_000);

  const ctx = useTestSystem({ temporal: 'time-skipping', receiver: true, tenant: true });

  before(async () => {
    await createWebhookRow(ctx.system.database.db, { ...ctx.tenant, url: ctx.receiver.url, events: ['message.sent'] });
  });

  const trigger = (id: string, data: string) =>
    ctx.system.api('POST', '/v1/events', {
      token: ctx.tenant.token,
      rawBody: `{"route_id":"${ctx.tenant.routeId}","event":"message.sent","id":"${id}","data":${data}}`,
    });

  it('keeps __proto__ at the top level and nested, byte for byte, in the stored and the delivered body', async () => {
    const data = '{"__proto__":{"x":1},"a":1,"nested":{"__proto__":{"y":[2]},"z":"ok"},"list":[{"__proto__":null}]}';
    const accepted = await trigger('evt_proto', data);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    await ctx.system.client.workflow.getHandle(accepted.body.data.deliveries[0].workflow_id).result();

    const [request] = await ctx.receiver.waitForRequests(1);
    assert.ok(request!.body.includes(`"data":${data},"context":`), `delivered: ${request!.body}`);
    const stored = await ctx.system.database.db('events').where({ envelope_id: 'evt_proto' }).first('body');
    assert.ok(stored.body.includes(`"data":${data},"context":`), `stored: ${stored.body}`);
    assert.deepEqual(Object.keys(JSON.parse(request!.body).data), ['__proto__', 'a', 'nested', 'list']);
    assert.equal(({} as Record<string, unknown>).x, undefined, 'Object.prototype is untouched');

    const again = await trigger('evt_proto', data);
    assert.equal(again.status, 202, 'the same event again is recognised as the same');
    assert.equal(again.body.data.duplicate, true);
    const changed = await trigger('evt_proto', data.replace('"x":1', '"x":2'));
    assert.equal(changed.status, 409, 'a different __proto__ value is a different event');
  });

  it('still refuses data that is not an object, and __proto__ as an unknown top-level field', async () => {
    for (const data of ['[]', '"text"', 'null', '1']) {
      const answer = await trigger(`evt_bad_${data.length}`, data);
      assert.equal(answer.status, 422, data);
      assert.deepEqual(answer.body.errors, { data: ['The data must be a JSON object.'] });
    }
    const unknown = await ctx.system.api('POST', '/v1/events', {
      token: ctx.tenant.token,
      rawBody: `{"route_id":"${ctx.tenant.routeId}","event":"message.sent","data":{},"__proto__":{"x":1}}`,
    });
    assert.equal(unknown.status, 422);
    assert.deepEqual(Object.keys(unknown.body.errors), ['__proto__'], 'named, as any unknown field is');
  });
});
