import http from 'node:http';
import type { Registry } from 'prom-client';
import { listenError } from '../config/listen-error';
import { carriesMetricsToken } from './metrics-token';

/**
 * The `METRICS_PORT` listener of any process (API or worker): `/metrics`, with a `/healthz` beside it for container
 * health checks (200 while `healthy()` says so, 503 otherwise). Kept off the API's port so that strangers who
 * reach the API reach no metrics; with `token` (`METRICS_TOKEN`) a scrape must carry it here too.
 */
export async function serveMetrics(
  registry: Registry,
  port: number,
  host: string,
  healthy: () => boolean = () => true,
  token?: string,
): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/healthz') {
      const ok = healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(`{"status":"${ok ? 'ok' : 'down'}"}`);
      return;
    }
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (token && !carriesMetricsToken(req.headers.authorization, token)) {
      res
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' })
        .end('METRICS_TOKEN required\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(listenError(err, { port, host, portVariable: 'METRICS_PORT' })),
    );
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as { port: number }).port,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
