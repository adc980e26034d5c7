import type { Logger } from 'pino';

/** Things to stop, stopped in reverse order of start: the API before the worker, the worker before the servers. */
export class ShutdownStack {
  private readonly steps: Array<{ name: string; stop: () => Promise<unknown> | unknown }> = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  push(name: string, stop: () => Promise<unknown> | unknown): void {
    this.steps.push({ name, stop });
  }

  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.stop();
          this.logger.debug({ step: step.name }, 'stopped');
        } catch (err) {
          this.logger.error({ err, step: step.name }, 'failed to stop cleanly');
        }
      }
    })();
    return this.stopping;
  }

  /** Ctrl-C or SIGTERM stops everything once; a second Ctrl-C exits at once. */
  stopOnSignals(exit: (code: number) => void = process.exit): void {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) return exit(130);
      signalled = true;
      this.logger.info({ signal }, 'shutting down');
      void this.stopAll().then(() => exit(0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}
