import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { createWebhookPoster, type WebhookPoster } from '../../activities/post-webhook';
import { createGuardedDispatcher } from '../../src/targets/create-guarded-dispatcher';
import { createHostResolver, type HostResolverOptions } from '../../src/targets/create-host-resolver';
import type { TargetPolicy } from '../../src/targets/target-policy';
import type { AttemptResult } from '../../workflows/attempt-result';
import { blockThreadPool } from '../support/faults/blocked-thread-pool';
import { startTestDnsServer, type DnsAnswer, type TestDnsServer } from '../support/system/test-dns-server';
import { startTestReceiver, type TestReceiver } from '../support/system/test-receiver';

// A dead name takes timeout × tries = 1 s. A healthy post, a new connection to the receiver included, takes 2-30 ms
// on a quiet machine; it is asserted under 200 ms so a busy one cannot fail the test (before: 19,979 ms).
const HEALTHY_MS = 200;
const TIMEOUT_MS = 500;
const TRIES = 2;
const DEADLINE_MS = TIMEOUT_MS * TRIES;

const STRICT_BUT_HTTP: TargetPolicy = { allowHttp: true, allowPrivate: false };
const LOCAL_DEVELOPMENT: TargetPolicy = { allowHttp: true, allowPrivate: true };

/** The loopback DNS server's zone: `dead-*` is black-holed, everything else points at the receiver on 127.0.0.1. */
function zone(name: string): DnsAnswer {
  if (name.startsWith('dead-')) return 'silent';
  if (name === 'public-and-private.example.test') return { A: ['93.184.216.34', '10.1.2.3'] };
  return { A: ['127.0.0.1'] };
}

describe('guarded-dispatcher with the host resolver', () => {
  let dns: TestDnsServer;
  let receiver: TestReceiver;
  let port: number;
  let directory: string;
  let hostsFile: string;
  const dispatchers: Dispatcher[] = [];

  before(async () => {
    dns = await startTestDnsServer(zone);
    receiver = await startTestReceiver();
    port = Number(new URL(receiver.url).port);
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-dispatcher-dns-'));
    hostsFile = path.join(directory, 'hosts');
    fs.writeFileSync(hostsFile, '127.0.0.1 receiver.example.test\n');
    // The first request through undici in a process is slow for reasons that have nothing to do with DNS.
    const warmUp = createGuardedDispatcher(LOCAL_DEVELOPMENT);
    await createWebhookPoster({ dispatcher: warmUp })({ url: receiver.url, body: '{}', headers: {} });
    await warmUp.close();
  });

  after(async () => {
    await receiver.close();
    await dns.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  beforeEach(() => {
    dns.questions.length = 0;
    receiver.requests.length = 0;
  });

  afterEach(async () => {
    for (const dispatcher of dispatchers.splice(0)) await dispatcher.close();
  });

  /** A guarded dispatcher whose resolver asks only the loopback DNS server and reads only the temporary hosts file. */
  function guardedDispatcher(policy: TargetPolicy, options: HostResolverOptions = {}): Dispatcher {
    const resolve = createHostResolver({
      servers: [dns.address],
      hostsFile,
      timeoutMs: TIMEOUT_MS,
      tries: TRIES,
      ...options,
    });
    const dispatcher = createGuardedDispatcher(policy, { resolve });
    dispatchers.push(dispatcher);
    return dispatcher;
  }

  function posterThrough(dispatcher: Dispatcher): (host: string, teamId?: string) => Promise<AttemptResult> {
    const post: WebhookPoster = createWebhookPoster({ timeoutMs: 5_000, dispatcher });
    return (host, teamId) => post({ url: `http://${host}:${port}/hook`, teamId, body: '{"id":"evt-1"}', headers: {} });
  }

  describe('the DNS black hole', () => {
    it('fails posts to a name whose DNS never answers with ETIMEOUT after timeout × tries, while posts to other names succeed in milliseconds', async () => {
      const post = posterThrough(guardedDispatcher(LOCAL_DEVELOPMENT));
      const dead = Array.from({ length: 4 }, (_, index) => post(`dead-${index}.example.test`, 'team-a'));
      await sleep(20); // team A's lookups are on the wire and fill its budget

      const healthy = await Promise.all([
        post('receiver.example.test', 'team-b'), // from the hosts file
        post('receiver.example.test', 'team-b'),
        post('alive-b.example.test', 'team-b'), // from the same DNS server that black-holes team A's names
        post('127.0.0.1', 'team-b'),
        post('receiver.example.test'), // no team: the operator's own
      ]);

      for (const result of healthy) {
        assert.equal(result.status, 'success', result.errorMessage ?? '');
        assert.ok(result.durationMs < HEALTHY_MS, `a healthy post took ${result.durationMs} ms`);
      }
      assert.equal(receiver.requests.length, healthy.length);
      for (const [index, result] of (await Promise.all(dead)).entries()) {
        assert.equal(result.status, 'failed');
        assert.equal(
          result.errorMessage,
          `ETIMEOUT: no DNS answer for dead-${index}.example.test (2 tries of ${TIMEOUT_MS} ms)`,
        );
        assert.ok(
          result.durationMs >= DEADLINE_MS - 50 && result.durationMs < DEADLINE_MS + 300,
          `a dead post took ${result.durationMs} ms`,
        );
      }
    });

    it('hands the connection an error coded ETIMEOUT', async () => {
      const dispatcher = guardedDispatcher(LOCAL_DEVELOPMENT);

      await assert.rejects(request(`http://dead-coded.example.test:${port}/`, { method: 'POST', dispatcher }), {
        code: 'ETIMEOUT',
        hostname: 'dead-coded.example.test',
      });
    });

    it("delivers to a hosts-file name in milliseconds while libuv's thread pool is full", async () => {
      const post = posterThrough(guardedDispatcher(LOCAL_DEVELOPMENT));
      const dead = post('dead-pool.example.test', 'team-a');
      const pool = await blockThreadPool();
      try {
        const result = await post('receiver.example.test', 'team-b');

        assert.equal(result.status, 'success', result.errorMessage ?? '');
        assert.ok(result.durationMs < HEALTHY_MS, `took ${result.durationMs} ms`);
      } finally {
        await pool.release();
      }
      assert.equal((await dead).status, 'failed');
    });

    it("counts a post's lookup against its own team: a team at its cap waits, another team does not", async () => {
      const post = posterThrough(guardedDispatcher(LOCAL_DEVELOPMENT, { concurrencyPerTeam: 1 }));
      const dead = post('dead-capped.example.test', 'team-a');
      await sleep(100);

      const [waited, other] = await Promise.all([
        post('alive-a.example.test', 'team-a'),
        post('alive-b2.example.test', 'team-b'),
      ]);

      assert.equal(other.status, 'success', other.errorMessage ?? '');
      assert.ok(other.durationMs < HEALTHY_MS, `team B waited ${other.durationMs} ms`);
      assert.equal(waited.status, 'success', waited.errorMessage ?? '');
      assert.ok(waited.durationMs >= DEADLINE_MS - 150, `team A's second post ran after ${waited.durationMs} ms`);
      assert.equal((await dead).status, 'failed');
    });
  });

  describe('the SSRF guarantees', () => {
    it('refuses a name when its DNS answer holds one blocked address, and never connects', async () => {
      const post = posterThrough(guardedDispatcher(STRICT_BUT_HTTP));

      const result = await post('public-and-private.example.test', 'team-a');

      assert.equal(result.status, 'failed');
      assert.equal(
        result.errorMessage,
        'ERR_BLOCKED_TARGET: refused to connect to public-and-private.example.test: it resolves to private address 10.1.2.3',
      );
      assert.equal(receiver.requests.length, 0);
    });

    it('judges a cached answer again at every new connection', async () => {
      const post = posterThrough(guardedDispatcher(STRICT_BUT_HTTP));

      const first = await post('loopback.example.test', 'team-a');
      const second = await post('loopback.example.test', 'team-a');

      for (const result of [first, second]) {
        assert.equal(
          result.errorMessage,
          'ERR_BLOCKED_TARGET: refused to connect to loopback.example.test: it resolves to loopback address 127.0.0.1',
        );
      }
      assert.equal(dns.questionsAbout('loopback.example.test').length, 2, 'the second answer came from the cache');
      assert.equal(receiver.requests.length, 0);
    });

    it('connects to the address it resolved and judged, and still sends the name as Host', async () => {
      // pinned.example.test exists only on the loopback DNS server: reaching the receiver proves the socket used
      // the judged answer and resolved nothing itself.
      const post = posterThrough(guardedDispatcher(LOCAL_DEVELOPMENT));

      const result = await post('pinned.example.test', 'team-a');

      assert.equal(result.status, 'success', result.errorMessage ?? '');
      assert.deepEqual(
        receiver.requests.map((received) => received.headers.host),
        [`pinned.example.test:${port}`],
      );
      assert.deepEqual(
        dns.questionsAbout('pinned.example.test').map((question) => question.type),
        ['A', 'AAAA'],
      );
    });
  });
});
