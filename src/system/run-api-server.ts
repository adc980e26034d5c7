import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp, type AppDependencies } from '../api/create-app';
import { OutboxSweeper } from '../deliveries/outbox-sweeper';

/** The HTTP API plus the outbox sweeper that every API process runs beside it. */
export async function runApiServer(
  deps: AppDependencies,
  options: { port: number; host: string; logger: Logger },
): Promise<{ url: string; stop: () => Promise<void> }> {
  const sweeper = new OutboxSweeper(deps.db, deps.starter, options.logger);
  const server: http.Server = await new Promise((resolve, reject) => {
    const s = createApp(deps).listen(options.port, options.host, () => resolve(s));
    s.once('error', reject);
  });
  sweeper.start();
  deps.reconciler.start();
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    stop: async () => {
      await sweeper.stop();
      await deps.reconciler.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
