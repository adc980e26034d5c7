/**
 * Records real delivery histories for the determinism test: `npx tsx test/support/record-workflow-histories.ts`.
 * Run it after a deliberate, versioned change to the workflow; never to make a failing replay pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { createTenant, createWebhookRow } from './fixtures';
import { stopTestPostgres } from './test-postgres';
import { startTestReceiver } from './test-receiver';
import { startTestSystem } from './test-system';

const OUT = path.resolve(__dirname, '../fixtures/histories');

async function main(): Promise<void> {
  const system = await startTestSystem({ temporal: 'time-skipping' });
  const receiver = await startTestReceiver();
  const tenant = await createTenant(system.database.db);
  const scenarios: Array<{
    name: string;
    answers: number[];
    event: string;
    after?: (workflowId: string, deliveryId: string) => Promise<void>;
  }> = [
    { name: 'success-at-attempt-1', answers: [200], event: 'message.sent' },
    { name: 'success-at-attempt-3', answers: [500, 404, 200], event: 'message.delivered' },
    { name: 'failed-after-12-attempts', answers: Array(12).fill(503), event: 'message.hard_bounced' },
    {
      name: 'cancelled-while-waiting',
      answers: [500],
      event: 'message.opened',
      after: async (workflowId) => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await system.client.workflow.getHandle(workflowId).cancel();
      },
    },
    {
      name: 'stopped-because-webhook-disabled',
      answers: [500],
      event: 'message.clicked',
      after: async (_workflowId, deliveryId) => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const delivery = await system.database.db('deliveries').where({ id: deliveryId }).first();
        await system.database.db('webhooks').where({ id: delivery.webhook_id }).update({ enabled: false });
      },
    },
  ];
  try {
    for (const scenario of scenarios) {
      const webhook = await createWebhookRow(system.database.db, {
        ...tenant,
        url: `${receiver.url}/${scenario.name}`,
        events: [scenario.event],
      });
      let calls = 0;
      receiver.answer = () => ({ status: scenario.answers[Math.min(calls++, scenario.answers.length - 1)]! });
      const response = await system.api('POST', '/v1/events', {
        token: tenant.token,
        body: { route_id: tenant.routeId, event: scenario.event, data: { scenario: scenario.name } },
      });
      const delivery = response.body.data.deliveries[0];
      const handle = system.client.workflow.getHandle(delivery.workflow_id);
      if (scenario.after) await scenario.after(delivery.workflow_id, delivery.id);
      await handle.result().catch(() => undefined);
      await system.database.db('webhooks').where({ id: webhook.id }).update({ enabled: false });
      // Binary protobuf: exact, and independent of the JSON mapping's protobufjs version.
      fs.writeFileSync(
        path.join(OUT, `${scenario.name}.history.pb`),
        temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish(),
      );
      console.log(`recorded ${scenario.name}`);
    }
  } finally {
    await receiver.close();
    await system.close();
    await stopTestPostgres();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
