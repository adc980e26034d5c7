import http from 'node:http';
import type { Registry } from 'prom-client';
import { listenError } from '../config/listen-error';

/**
 * A bare `/metrics` listener for processes without the API (a worker on its own), with a `/healthz` beside it for
 * container health checks: 200 while `healthy()` says so, 503 otherwise.
 */
export async function serveMetrics(
  registry: Registry,
  port: number,
  host: string,
  healthy: () => boolean = () => true,
): Promise<{ stop: () => Promise<void> }> {
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
  return { stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
