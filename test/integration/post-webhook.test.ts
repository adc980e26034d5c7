import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  MAX_RESPONSE_BYTES,
  createWebhookPoster,
  type WebhookRequest,
} from '../../activities/post-webhook';

const FIVE_MIB = 5 * 1024 * 1024;

interface ReceivedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** How the receiver answers each path, like the real endpoints an attempt meets. */
const ROUTES: Record<string, (res: http.ServerResponse) => void> = {
  '/ok': (res) => {
    res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Receiver': 'yes' }).end('{"received":true}');
  },
  '/no-content': (res) => res.writeHead(204).end(),
  '/redirect': (res) => res.writeHead(302, { Location: '/redirect-target' }).end('moved'),
  '/redirect-target': (res) => res.writeHead(200).end('should never be reached'),
  '/not-found': (res) => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such hook'),
  '/server-error': (res) => res.writeHead(500).end('boom'),
  '/hang': () => {}, // never answers; the connection is cut when the receiver closes
  '/trickle': (res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    const drip = setInterval(() => res.write('x'), 100);
    res.on('close', () => clearInterval(drip));
  },
  '/huge': (res) => res.writeHead(200, { 'Content-Length': String(FIVE_MIB) }).end(Buffer.alloc(FIVE_MIB, 'a')),
  '/endless': (res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    const block = Buffer.alloc(64 * 1024, 'z');
    // Write until the socket pushes back, again on every drain, for as long as the client keeps reading.
    const pump = (): void => {
      while (!res.destroyed && res.write(block));
    };
    res.on('drain', pump);
    pump();
  },
  // 65,535 ASCII bytes then a 4-byte emoji: the byte cap falls inside the emoji.
  '/split-character': (res) => res.writeHead(200).end('a'.repeat(MAX_RESPONSE_BYTES - 1) + '🌊tail'),
};

function startReceiver(received: ReceivedRequest[]): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      const route = ROUTES[req.url ?? ''] ?? ((unknown: http.ServerResponse) => unknown.writeHead(418).end());
      route(res);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function webhook(url: string): WebhookRequest {
  return { url, body: '{"id":"evt-1"}', headers: { 'Content-Type': 'application/json' } };
}

describe('post-webhook', () => {
  const received: ReceivedRequest[] = [];
  let server: http.Server;
  let base: string;
  const post = createWebhookPoster({ timeoutMs: 500 });

  before(async () => {
    server = await startReceiver(received);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('defaults to a 30 s deadline and a 64 KiB body cap', async () => {
    assert.equal(DEFAULT_ATTEMPT_TIMEOUT_MS, 30_000);
    assert.equal(MAX_RESPONSE_BYTES, 65_536);
    // The deadline timer is armed synchronously when the attempt starts; watch which delays get scheduled.
    const delays: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    const spy = (...args: Parameters<typeof setTimeout>) => {
      delays.push(Number(args[1]));
      return realSetTimeout(...args);
    };
    globalThis.setTimeout = Object.assign(spy, realSetTimeout) as typeof setTimeout;
    let pending: ReturnType<ReturnType<typeof createWebhookPoster>>;
    try {
      pending = createWebhookPoster()(webhook(`${base}/ok`));
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    assert.equal((await pending).status, 'success');
    assert.ok(delays.includes(30_000), `scheduled delays: ${delays.join(', ')}`);
  });

  it('delivers exactly the body bytes and headers given and records them', async () => {
    const body = JSON.stringify({ id: 'evt-7', data: { text: 'Grüße / 🌊 "quoted"' } });
    const headers = {
      'Content-Type': 'application/json',
      'X-Lettermint-Signature': 't=1700000000,v1=' + 'a'.repeat(64),
      'X-Lettermint-Event': 'message.sent',
      'X-Lettermint-Delivery': '1700000000',
      'X-Lettermint-Attempt': '3',
      'User-Agent': 'tidehook/0.1.0',
    };
    const result = await post({ url: `${base}/ok`, body, headers });
    const request = received.find((r) => r.headers['x-lettermint-attempt'] === '3');
    assert.ok(request, 'the receiver saw the request');
    assert.equal(request.method, 'POST');
    assert.deepEqual(request.body, Buffer.from(body, 'utf8'));
    for (const [name, value] of Object.entries(headers)) {
      assert.equal(request.headers[name.toLowerCase()], value, name);
    }
    assert.deepEqual(result.requestHeaders, headers);
  });

  it('classifies a 200 as success with flattened lowercase response headers', async () => {
    const result = await post(webhook(`${base}/ok`));
    assert.equal(result.status, 'success');
    assert.equal(result.httpStatusCode, 200);
    assert.equal(result.responseBody, '{"received":true}');
    assert.equal(result.errorMessage, null);
    assert.equal(result.responseHeaders['x-receiver'], 'yes');
    assert.equal(result.responseHeaders['set-cookie'], 'a=1, b=2');
    assert.ok(Object.keys(result.responseHeaders).every((name) => name === name.toLowerCase()));
    assert.ok(Number.isInteger(result.durationMs) && result.durationMs >= 0);
    assert.ok(Date.parse(result.startedAt) <= Date.parse(result.finishedAt));
    assert.equal(new Date(result.startedAt).toISOString(), result.startedAt);
  });

  it('classifies a 204 as success with an empty body', async () => {
    const result = await post(webhook(`${base}/no-content`));
    assert.equal(result.status, 'success');
    assert.equal(result.httpStatusCode, 204);
    assert.equal(result.responseBody, '');
  });

  it('classifies a 302 as failed and does not follow it', async () => {
    const result = await post(webhook(`${base}/redirect`));
    assert.equal(result.status, 'failed');
    assert.equal(result.httpStatusCode, 302);
    assert.equal(result.errorMessage, 'redirect not followed (302 to /redirect-target)');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(!received.some((r) => r.url === '/redirect-target'), 'the redirect target was requested');
  });

  it('classifies a 404 as client_error and keeps the response body', async () => {
    const result = await post(webhook(`${base}/not-found`));
    assert.equal(result.status, 'client_error');
    assert.equal(result.httpStatusCode, 404);
    assert.equal(result.responseBody, 'no such hook');
    assert.equal(result.errorMessage, null);
  });

  it('classifies a 500 as server_error', async () => {
    const result = await post(webhook(`${base}/server-error`));
    assert.equal(result.status, 'server_error');
    assert.equal(result.httpStatusCode, 500);
    assert.equal(result.responseBody, 'boom');
  });

  it('times out a receiver that never answers at the deadline', async () => {
    const started = Date.now();
    const result = await post(webhook(`${base}/hang`));
    const elapsed = Date.now() - started;
    assert.equal(result.status, 'timeout');
    assert.equal(result.errorMessage, 'no complete response within 500ms');
    assert.equal(result.httpStatusCode, null);
    assert.equal(result.responseBody, null);
    assert.ok(elapsed >= 490 && elapsed < 1500, `took ${elapsed} ms`);
    assert.ok(result.durationMs >= 490 && result.durationMs < 1500, `durationMs ${result.durationMs}`);
  });

  it('times out a receiver that sends headers at once but trickles the body past the deadline', async () => {
    const started = Date.now();
    const result = await post(webhook(`${base}/trickle`));
    const elapsed = Date.now() - started;
    assert.equal(result.status, 'timeout');
    assert.equal(result.errorMessage, 'no complete response within 500ms');
    assert.ok(elapsed >= 490 && elapsed < 1500, `took ${elapsed} ms`);
    // What did arrive is kept for whoever debugs the receiver.
    assert.equal(result.httpStatusCode, 200);
    assert.match(result.responseBody ?? '', /^x+$/);
  });

  it('keeps the first 64 KiB of a 5 MiB success body and returns quickly', async () => {
    const slowDeadline = createWebhookPoster({ timeoutMs: 10_000 });
    const result = await slowDeadline(webhook(`${base}/huge`));
    assert.equal(result.status, 'success');
    assert.equal(result.responseBody?.length, 65_536);
    assert.equal(Buffer.byteLength(result.responseBody ?? ''), 65_536);
    assert.ok(result.durationMs < 1000, `durationMs ${result.durationMs}`);
  });

  it('stops reading an endless success body at the cap instead of waiting for its end', async () => {
    const slowDeadline = createWebhookPoster({ timeoutMs: 10_000 });
    const result = await slowDeadline(webhook(`${base}/endless`));
    assert.equal(result.status, 'success');
    assert.equal(result.responseBody, 'z'.repeat(65_536));
    assert.ok(result.durationMs < 1000, `durationMs ${result.durationMs}`);
  });

  it('drops a character cut in half by the cap rather than storing a replacement character', async () => {
    const result = await post(webhook(`${base}/split-character`));
    assert.equal(result.status, 'success');
    assert.equal(result.responseBody, 'a'.repeat(MAX_RESPONSE_BYTES - 1));
  });

  it('honours a smaller maxResponseBytes', async () => {
    const result = await createWebhookPoster({ maxResponseBytes: 5 })(webhook(`${base}/not-found`));
    assert.equal(result.responseBody, 'no su');
  });

  it('reports a refused connection as failed with ECONNREFUSED', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const result = await post(webhook(`http://127.0.0.1:${port}/`));
    assert.equal(result.status, 'failed');
    assert.match(result.errorMessage ?? '', /ECONNREFUSED/);
    assert.equal(result.httpStatusCode, null);
    assert.equal(result.responseBody, null);
    assert.deepEqual(result.responseHeaders, {});
  });

  it('reports a TLS handshake failure as failed with its error code', async () => {
    // Speaking TLS to a plain HTTP port fails the handshake.
    const result = await post(webhook(`${base.replace('http:', 'https:')}/ok`));
    assert.equal(result.status, 'failed');
    assert.match(result.errorMessage ?? '', /ERR_SSL_|EPROTO/);
    assert.doesNotMatch(result.errorMessage ?? '', /\n/);
  });

  it('reports an unresolvable host as failed with the DNS error code', async () => {
    const result = await createWebhookPoster({ timeoutMs: 5_000 })(webhook('http://tidehook-test.invalid/hook'));
    assert.equal(result.status, 'failed');
    assert.match(result.errorMessage ?? '', /ENOTFOUND|EAI_AGAIN/);
  });

  it('reports an invalid or non-HTTP URL as failed without throwing', async () => {
    const invalid = await post(webhook('not a url'));
    assert.equal(invalid.status, 'failed');
    assert.match(invalid.errorMessage ?? '', /invalid URL/);
    const ftp = await post(webhook('ftp://127.0.0.1/hook'));
    assert.equal(ftp.status, 'failed');
    assert.match(ftp.errorMessage ?? '', /unsupported URL protocol "ftp:"/);
  });

  it('reports a header the HTTP client refuses to send as failed without throwing', async () => {
    const result = await post({ url: `${base}/ok`, body: '{}', headers: { 'X-Bad': 'line\r\nbreak' } });
    assert.equal(result.status, 'failed');
    assert.ok(result.errorMessage);
  });
});
