import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import type { AttemptResult } from '../../workflows/attempt-result';
import { createWebhookPoster } from '../../activities/post-webhook';
import { createGuardedDispatcher, type GuardedDispatcherOptions } from '../../src/targets/create-guarded-dispatcher';
import type { TargetPolicy } from '../../src/targets/target-policy';
import { SELF_SIGNED_RECEIVER_CERTIFICATE as CERTIFICATE } from '../support/system/self-signed-certificate';

/** A real receiver on 127.0.0.1 that counts TCP connections, not just requests: a refusal must not even connect. */
interface CountingReceiver {
  port: number;
  connections: number;
  hostHeaders: string[];
  /** SNI names seen in TLS handshakes (https receiver only). */
  serverNames: string[];
  close(): Promise<void>;
}

async function startReceiver(kind: 'http' | 'https'): Promise<CountingReceiver> {
  const receiver: CountingReceiver = {
    port: 0,
    connections: 0,
    hostHeaders: [],
    serverNames: [],
    close: async () => {},
  };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    receiver.hostHeaders.push(req.headers.host ?? '');
    req.resume().on('end', () => res.writeHead(200).end('ok'));
  };
  const context = tls.createSecureContext({ key: CERTIFICATE.key, cert: CERTIFICATE.cert });
  const server =
    kind === 'http'
      ? http.createServer(onRequest)
      : https.createServer(
          {
            key: CERTIFICATE.key,
            cert: CERTIFICATE.cert,
            SNICallback: (name, done) => {
              receiver.serverNames.push(name);
              done(null, context);
            },
          },
          onRequest,
        );
  server.on('connection', () => receiver.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

/** A resolver that hands out the given answers in turn (the last one forever) and counts how often it was asked. */
function scriptedResolver(...answers: string[][]) {
  const asked: string[] = [];
  const resolve = async (name: string) => {
    asked.push(name);
    return answers[Math.min(asked.length, answers.length) - 1] ?? [];
  };
  return { resolve, asked };
}

/** Posts one webhook through a fresh guarded dispatcher, then closes the dispatcher. */
async function postThroughGuard(
  url: string,
  policy: TargetPolicy,
  options: GuardedDispatcherOptions = {},
): Promise<AttemptResult> {
  const dispatcher = createGuardedDispatcher(policy, options);
  try {
    const post = createWebhookPoster({ timeoutMs: 5_000, dispatcher });
    return await post({ url, body: '{"id":"evt-1"}', headers: { 'content-type': 'application/json' } });
  } finally {
    await dispatcher.close();
  }
}

const STRICT_BUT_HTTP: TargetPolicy = { allowHttp: true, allowPrivate: false };
const LOCAL_DEVELOPMENT: TargetPolicy = { allowHttp: true, allowPrivate: true };

describe('guarded-dispatcher', () => {
  let receiver: CountingReceiver;

  beforeEach(async () => {
    receiver = await startReceiver('http');
  });

  afterEach(async () => {
    await receiver.close();
  });

  it('records a POST to 127.0.0.1 as a failed attempt naming the address, and the receiver sees no connection', async () => {
    const result = await postThroughGuard(`http://127.0.0.1:${receiver.port}/hook`, STRICT_BUT_HTTP);

    assert.equal(result.status, 'failed');
    assert.equal(result.httpStatusCode, null);
    assert.equal(result.errorMessage, 'ERR_BLOCKED_TARGET: refused to connect to loopback address 127.0.0.1');
    assert.equal(receiver.connections, 0);
  });

  it('delivers to 127.0.0.1 when the policy allows private targets', async () => {
    const result = await postThroughGuard(`http://127.0.0.1:${receiver.port}/hook`, LOCAL_DEVELOPMENT);

    assert.equal(result.status, 'success');
    assert.equal(result.httpStatusCode, 200);
    assert.equal(receiver.connections, 1);
  });

  it('judges IP literals in every spelling even though net.connect never calls lookup for them', async () => {
    const { resolve, asked } = scriptedResolver(['93.184.216.34']);
    for (const host of ['127.0.0.1', '0x7f.1', '2130706433', '[::ffff:127.0.0.1]', '[::1]', '[64:ff9b::7f00:1]']) {
      const result = await postThroughGuard(`http://${host}:${receiver.port}/`, STRICT_BUT_HTTP, { resolve });
      assert.equal(result.status, 'failed', host);
      assert.match(result.errorMessage ?? '', /^ERR_BLOCKED_TARGET: refused to connect to .*loopback address/, host);
    }
    assert.deepEqual(asked, []);
    assert.equal(receiver.connections, 0);
  });

  it('refuses a host name whose lookup answers 127.0.0.1', async () => {
    const { resolve, asked } = scriptedResolver(['127.0.0.1']);
    const result = await postThroughGuard(`http://receiver.test:${receiver.port}/`, STRICT_BUT_HTTP, { resolve });

    assert.equal(result.status, 'failed');
    assert.equal(
      result.errorMessage,
      'ERR_BLOCKED_TARGET: refused to connect to receiver.test: it resolves to loopback address 127.0.0.1',
    );
    assert.deepEqual(asked, ['receiver.test']);
    assert.equal(receiver.connections, 0);
  });

  it('refuses a name when any one of its addresses is blocked', async () => {
    const { resolve } = scriptedResolver(['93.184.216.34', '10.1.2.3']);
    const result = await postThroughGuard(`http://receiver.test:${receiver.port}/`, STRICT_BUT_HTTP, { resolve });

    assert.equal(result.status, 'failed');
    assert.match(result.errorMessage ?? '', /receiver\.test: it resolves to private address 10\.1\.2\.3/);
  });

  it('refuses local-only names before resolving them', async () => {
    const { resolve, asked } = scriptedResolver(['93.184.216.34']);
    const result = await postThroughGuard(`http://localhost:${receiver.port}/`, STRICT_BUT_HTTP, { resolve });

    assert.equal(result.errorMessage, 'ERR_BLOCKED_TARGET: refused to connect to loopback name localhost');
    assert.deepEqual(asked, []);
  });

  it('connects to the address it resolved and checked, and still sends the name as Host', async () => {
    // receiver.test exists in no DNS: reaching the receiver proves the socket used our answer and nothing else.
    const { resolve, asked } = scriptedResolver(['127.0.0.1']);
    const result = await postThroughGuard(`http://receiver.test:${receiver.port}/`, LOCAL_DEVELOPMENT, { resolve });

    assert.equal(result.status, 'success');
    assert.deepEqual(receiver.hostHeaders, [`receiver.test:${receiver.port}`]);
    assert.deepEqual(asked, ['receiver.test']);
  });

  it('never connects to an answer it did not check when DNS rebinds between connections', async () => {
    // First answer public, every later one loopback. The socket must dial exactly the checked public address;
    // the test stops it there, at the 'lookup' event, so nothing leaves loopback.
    const { resolve, asked } = scriptedResolver(['93.184.216.34'], ['127.0.0.1']);
    const dialled: string[] = [];
    const stopBeforeDialling = ({ socket }: { socket: Socket }) => {
      socket.once('lookup', (error: Error | null, address?: string) => {
        if (error !== null || address === undefined) return;
        dialled.push(address);
        if (address !== '127.0.0.1') socket.destroy(new Error(`test stopped the dial to ${address}`));
      });
    };
    diagnosticsChannel.subscribe('net.client.socket', stopBeforeDialling as (message: unknown) => void);
    const dispatcher = createGuardedDispatcher(STRICT_BUT_HTTP, { resolve });
    try {
      const post = createWebhookPoster({ timeoutMs: 5_000, dispatcher });
      const url = `http://rebind.test:${receiver.port}/`;
      const first = await post({ url, body: '{}', headers: {} });
      const second = await post({ url, body: '{}', headers: {} });

      assert.equal(first.status, 'failed');
      assert.match(first.errorMessage ?? '', /test stopped the dial to 93\.184\.216\.34/);
      assert.equal(second.status, 'failed');
      assert.match(
        second.errorMessage ?? '',
        /^ERR_BLOCKED_TARGET: .*rebind\.test: it resolves to loopback address 127\.0\.0\.1/,
      );
      // One resolution per connection, and the only address ever dialled is the one that was checked.
      assert.deepEqual(asked, ['rebind.test', 'rebind.test']);
      assert.deepEqual(dialled, ['93.184.216.34']);
      assert.equal(receiver.connections, 0);
    } finally {
      diagnosticsChannel.unsubscribe('net.client.socket', stopBeforeDialling as (message: unknown) => void);
      await dispatcher.close();
    }
  });

  it('refuses plain http:// at connect time unless the policy allows it', async () => {
    const result = await postThroughGuard(`http://127.0.0.1:${receiver.port}/`, {
      allowHttp: false,
      allowPrivate: true,
    });

    assert.equal(result.status, 'failed');
    assert.match(result.errorMessage ?? '', /^ERR_HTTP_TARGET: refused to connect to http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(receiver.connections, 0);
  });

  it('refuses a stored URL whose port the policy does not allow, at connect time and without connecting', async () => {
    // Stored before the port policy (or before the operator narrowed ALLOWED_TARGET_PORTS): create and update
    // never saw it, so the dispatcher is the check that counts.
    const onlyOtherPorts: TargetPolicy = { ...LOCAL_DEVELOPMENT, allowedPorts: [{ from: 443, to: 443 }] };
    const refused = await postThroughGuard(`http://127.0.0.1:${receiver.port}/hook`, onlyOtherPorts);
    assert.equal(refused.status, 'failed');
    assert.equal(
      refused.errorMessage,
      `ERR_BLOCKED_PORT: refused to connect to 127.0.0.1: port ${receiver.port}, not in ALLOWED_TARGET_PORTS`,
    );
    assert.equal(receiver.connections, 0);

    // The default rule, also with private targets allowed: an internal service's port, before any DNS.
    const { resolve, asked } = scriptedResolver(['127.0.0.1']);
    const redis = await postThroughGuard('http://cache.test:6379/', LOCAL_DEVELOPMENT, { resolve });
    assert.equal(redis.errorMessage, 'ERR_BLOCKED_PORT: refused to connect to cache.test: port 6379, used by Redis');
    assert.deepEqual(asked, []);

    const allowed = { ...LOCAL_DEVELOPMENT, allowedPorts: [{ from: receiver.port, to: receiver.port }] };
    assert.equal((await postThroughGuard(`http://127.0.0.1:${receiver.port}/hook`, allowed)).status, 'success');
    assert.equal(receiver.connections, 1);
  });

  describe('over TLS', () => {
    let tlsReceiver: CountingReceiver;

    before(async () => {
      tlsReceiver = await startReceiver('https');
    });

    after(async () => {
      await tlsReceiver.close();
    });

    it('sends the host name as SNI to the pinned address and keeps certificate verification on', async () => {
      const { resolve } = scriptedResolver(['127.0.0.1']);
      const url = `https://${CERTIFICATE.hostname}:${tlsReceiver.port}/`;
      const result = await postThroughGuard(url, { allowHttp: false, allowPrivate: true }, { resolve });

      // The certificate matches the name but no CA signed it: an unverified client would have delivered.
      assert.equal(result.status, 'failed');
      assert.match(result.errorMessage ?? '', /SELF_SIGNED|self[- ]signed|unable to verify/i);
      assert.deepEqual(tlsReceiver.serverNames, [CERTIFICATE.hostname]);
      assert.deepEqual(tlsReceiver.hostHeaders, []);
    });
  });
});
