/**
 * `node dist/src/healthcheck-main.js <url>`: exits 0 when the URL answers 2xx within 3 s, 1 otherwise. For the
 * container health checks in docker-compose.yml, since the image has no curl or wget: the API's `/healthz` on PORT,
 * a worker's `/healthz` on METRICS_PORT (200 only while it polls its task queue).
 */
async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url) {
    console.error('usage: healthcheck-main <url>, e.g. http://127.0.0.1:3000/healthz');
    process.exit(2);
  }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) console.error(`${url} answered ${response.status}`);
    process.exit(response.ok ? 0 : 1);
  } catch (err) {
    console.error(`${url}: ${(err as Error).message}`);
    process.exit(1);
  }
}

void main();
