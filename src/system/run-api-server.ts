import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp, type AppDependencies } from '../api/create-app';
import { OutboxSweeper } from '../deliveries/outbox-sweeper';
import { listenError } from './listen-error';

/** The HTTP API plus the outbox sweeper that every API process runs beside it. */
export async function runApiServer(
  deps: AppDependencies,
  options: { port: number; host: string; logger: Logger },
): Promise<{ url: string; stop: () => Promise<void> }> {
  const sweeper = new OutboxSweeper(deps.db, deps.starter, options.logger);
  // Not app.listen: Express 5 hands a listen error to its callback as if listening had worked.
  const server = http.createServer(createApp(deps));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(listenError(err, { port: options.port, host: options.host, portVariable: 'PORT' })),
    );
    server.listen(options.port, options.host, () => resolve());
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
