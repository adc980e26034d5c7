import { startFaultHarness, type FaultDelivery, type FaultHarness } from './fault-harness';
import { startFaultReceiver, type FaultReceiver } from './fault-receiver';

export interface UseFaultHarnessOptions {
  /** One receiver for the whole file, or a fresh one for every test (closed after it). */
  receiver: 'per-file' | 'per-test';
  /** Worker processes that serve the whole file, started with the harness. @default 0 */
  fileWorkers?: number;
  /** SIGKILL the worker processes a test spawned once it ends. @default true */
  killWorkersAfterEachTest?: boolean;
  /** A reason to skip the whole file, asked before anything starts. */
  skipWhen?: () => boolean;
}

/** What {@link useFaultHarness} started for a file; there from its hooks on, so read it in tests. */
export interface FaultContext {
  readonly harness: FaultHarness;
  readonly receiver: FaultReceiver;
  /** A webhook to the receiver and `count` deliveries to it with the given schedule, labelled `${name}-1` … */
  startDeliveries(name: string, count: number, schedule: readonly number[]): Promise<FaultDelivery[]>;
}

/** Registers a fault test file's hooks (call it inside its `describe`): a fault harness and a fault receiver. */
export function useFaultHarness(options: UseFaultHarnessOptions): FaultContext {
  const { fileWorkers = 0, killWorkersAfterEachTest = true } = options;
  let harness: FaultHarness | undefined;
  let receiver: FaultReceiver | undefined;

  before(async function () {
    if (options.skipWhen?.()) this.skip();
    // A dev server and worker processes take longer to start than a test system.
    this.timeout(60_000);
    harness = await startFaultHarness();
    for (let i = 0; i < fileWorkers; i++) await harness.spawnWorker();
    if (options.receiver === 'per-file') receiver = await startFaultReceiver();
  });

  if (options.receiver === 'per-test') {
    beforeEach(async () => {
      receiver = await startFaultReceiver();
    });
  }

  afterEach(async () => {
    if (killWorkersAfterEachTest) await harness?.killWorkers();
    if (options.receiver === 'per-test') await receiver?.close();
  });

  after(async () => {
    if (options.receiver === 'per-file') await receiver?.close();
    await harness?.close();
  });

  const context: FaultContext = {
    get harness() {
      if (!harness) throw new Error('no fault harness yet: useFaultHarness starts it in before()');
      return harness;
    },
    get receiver() {
      if (!receiver) throw new Error('no fault receiver yet: useFaultHarness starts it in before() or beforeEach()');
      return receiver;
    },
    async startDeliveries(name, count, schedule) {
      const webhookId = await context.harness.createWebhook(context.receiver.url);
      return Promise.all(
        Array.from({ length: count }, (_, i) =>
          context.harness.startDelivery({ label: `${name}-${i + 1}`, webhookId, schedule }),
        ),
      );
    },
  };
  return context;
}
