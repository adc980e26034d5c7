import { temporal } from '@temporalio/proto';
import { generateWebhookSecret } from '../../src/signature/sign-payload';
import { startBenchReceiver } from '../support/bench-receiver';
import { createBenchRoute, type BenchStack } from '../support/bench-stack';
import { historyCost } from '../support/history-cost';
import { awaitReceipts, runTriggers } from '../support/trigger-load';

export interface DeliveryCost {
  delivery: string;
  'history events': number;
  'workflow tasks': number;
  'state transitions': number;
  'billable actions': number;
  'Postgres statements': number;
}

const typeName = (type: number) => temporal.api.enums.v1.EventType[type] ?? String(type);

/**
 * What one delivery costs, read off the real thing: a delivery that succeeds at once, and one that succeeds at
 * attempt 3 (its receiver answers 500 twice, so this takes the schedule's real 1 + 2 minutes).
 */
export async function measureDeliveryCost(bench: BenchStack, options: { deadline: number }): Promise<DeliveryCost[]> {
  const costs: DeliveryCost[] = [];
  for (const { name, failures } of [
    { name: 'succeeds at once', failures: 0 },
    { name: 'succeeds at attempt 3', failures: 2 },
  ]) {
    const secret = generateWebhookSecret();
    const receiver = await startBenchReceiver(secret);
    try {
      const route = await createBenchRoute(bench, bench.team, { name: `cost ${name}`, url: receiver.url, secret });
      let answered = 0;
      receiver.answer = () => (answered++ < failures ? 500 : 200);
      const before = bench.statements();
      const run = await runTriggers({
        apiUrl: bench.apiUrl,
        token: bench.team.token,
        routeId: route.routeId,
        events: 1,
        concurrency: 1,
        deadline: options.deadline,
      });
      const ids = [...run.triggeredAt.keys()];
      await awaitReceipts(receiver.receivedAt, ids, 1, options.deadline);
      const delivery = await bench.db('deliveries').where({ webhook_id: route.webhookIds[0] }).first('workflow_id');
      const handle = bench.client.workflow.getHandle(delivery.workflow_id as string);
      await handle.result();
      // The inline record lands within a few ms of the answer; leave it time before counting statements.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const statements = bench.statements() - before;
      const history = await handle.fetchHistory();
      const described = await handle.describe();
      const cost = historyCost(history, typeName);
      costs.push({
        delivery: name,
        'history events': cost.events,
        'workflow tasks': cost.workflowTasks,
        'state transitions': Number(described.raw.workflowExecutionInfo?.stateTransitionCount ?? 0),
        'billable actions': cost.actions,
        'Postgres statements': statements,
      });
    } finally {
      await receiver.close();
    }
  }
  return costs;
}
