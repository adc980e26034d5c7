import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppDependencies } from '../../../src/api/app-dependencies';
import { createApp } from '../../../src/api/create-app';
import { trackResource } from './open-resources';

/** The API on its own port with other dependencies (other dashboard settings, say), beside a test system's. */
export async function serveApp(deps: AppDependencies): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server: http.Server = await new Promise((resolve) => {
    const s = createApp(deps).listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const untrack = trackResource(server, `extra API server at ${baseUrl}`);
  return {
    baseUrl,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      untrack();
    },
  };
}
