import { generateWebhookSecret } from '../../src/signature/sign-payload';
import { startBenchReceiver } from '../support/bench-receiver';
import { createBenchRoute, type BenchStack } from '../support/bench-stack';
import { spread } from '../support/percentiles';
import { awaitReceipts, runTriggers } from '../support/trigger-load';

export interface NoisyNeighbourResult {
  phase: string;
  'B deliveries': number;
  'B received': number;
  'B trigger→receipt p50/p99 ms': string;
  'B duplicates': number;
  'A accepted': number;
  'A lost': number;
  'A attempts sent twice': number;
}

/**
 * Team A floods: `attackEvents` events to a receiver that accepts and never answers, and as many to a name whose
 * name server never answers; meanwhile team B sends `victimEvents` to a healthy receiver, as it did alone before.
 * B's trigger → verified receipt alone and under attack tell whether one customer slows down another.
 */
export async function runNoisyNeighbour(
  bench: BenchStack,
  options: { victimEvents: number; attackEvents: number; deadline: number },
): Promise<{ rows: NoisyNeighbourResult[]; ratio: number }> {
  const secret = generateWebhookSecret();
  const healthy = await startBenchReceiver(secret);
  const blackHole = await startBenchReceiver(secret);
  blackHole.answer = () => 'hang';
  const attempts = new Map<string, number>();
  const countAttempt = (id: string, attempt: string) =>
    attempts.set(`${id}#${attempt}`, (attempts.get(`${id}#${attempt}`) ?? 0) + 1);
  blackHole.onRequest = countAttempt;
  try {
    const teamB = await bench.stores.teams.createTeam('team B');
    const tokenB = await bench.stores.teams.createToken(teamB.id, 'B', ['manage', 'trigger']);
    const projectB = await bench.stores.projects.create(teamB.id, 'B');
    const victim = await createBenchRoute(
      bench,
      { id: teamB.id, projectId: projectB.id },
      { name: 'B healthy', url: healthy.url, secret },
    );
    const teamA = await bench.stores.teams.createTeam('team A');
    const tokenA = await bench.stores.teams.createToken(teamA.id, 'A', ['manage', 'trigger']);
    const projectA = await bench.stores.projects.create(teamA.id, 'A');
    const toBlackHole = await createBenchRoute(
      bench,
      { id: teamA.id, projectId: projectA.id },
      { name: 'A black hole', url: blackHole.url, secret },
    );
    const toDeadDns = await createBenchRoute(
      bench,
      { id: teamA.id, projectId: projectA.id },
      {
        name: 'A dead DNS',
        url: `http://dead.tenant-a.test:${new URL(healthy.url).port}/hook`,
        secret,
      },
    );

    const victimRun = async (phase: string): Promise<NoisyNeighbourResult & { p99: number }> => {
      const run = await runTriggers({
        apiUrl: bench.apiUrl,
        token: tokenB,
        routeId: victim.routeId,
        events: options.victimEvents,
        concurrency: 2,
        pauseMs: 50,
        deadline: options.deadline,
      });
      const ids = [...run.triggeredAt.keys()];
      const received = await awaitReceipts(healthy.receivedAt, ids, 1, options.deadline);
      const latencies = ids.flatMap((id) =>
        (healthy.receivedAt.get(id) ?? []).slice(0, 1).map((at) => at - run.triggeredAt.get(id)!),
      );
      const s = spread(latencies);
      return {
        phase,
        'B deliveries': ids.length,
        'B received': received,
        'B trigger→receipt p50/p99 ms': `${s.p50} / ${s.p99}`,
        'B duplicates': ids.reduce((n, id) => n + Math.max(0, (healthy.receivedAt.get(id)?.length ?? 0) - 1), 0),
        'A accepted': 0,
        'A lost': 0,
        'A attempts sent twice': 0,
        p99: s.p99,
      };
    };

    const alone = await victimRun('B alone');
    // The attack: as fast as team A's budget lets it, in batches, two floods at once.
    const attack = Promise.all(
      [toBlackHole, toDeadDns].map((route) =>
        runTriggers({
          apiUrl: bench.apiUrl,
          token: tokenA,
          routeId: route.routeId,
          events: options.attackEvents,
          concurrency: 4,
          batch: 25,
          deadline: options.deadline,
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const underAttack = await victimRun('B while A floods');
    const attackRuns = await attack;
    const accepted = attackRuns.reduce((n, run) => n + run.triggeredAt.size - run.failed, 0);
    const [row] = await bench.db('deliveries').where({ team_id: teamA.id }).count<{ n: string }[]>({ n: '*' });
    const recorded = Number(row?.n ?? 0);
    underAttack['A accepted'] = accepted;
    underAttack['A lost'] = Math.max(0, accepted - recorded);
    underAttack['A attempts sent twice'] = [...attempts.values()].filter((n) => n > 1).length;
    // Stop the flood so the stack can stop: deleting A's webhooks cancels their deliveries.
    for (const id of [...toBlackHole.webhookIds, ...toDeadDns.webhookIds])
      await bench.api!.deps.canceller.cancelPendingForWebhooks([id], 'bench over');
    const { p99: _a, ...aloneRow } = alone;
    const { p99: _b, ...attackRow } = underAttack;
    return { rows: [aloneRow, attackRow], ratio: Math.round((underAttack.p99 / Math.max(1, alone.p99)) * 100) / 100 };
  } finally {
    await healthy.close();
    await blackHole.close();
  }
}
