import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createHostResolver,
  type HostResolverEvent,
  type HostResolverOptions,
} from '../../src/targets/create-host-resolver';
import { HostResolutionError } from '../../src/targets/host-resolution-error';
import type { HostResolver } from '../../src/targets/host-resolver';
import { blockThreadPool } from '../support/faults/blocked-thread-pool';
import { startTestDnsServer, type DnsAnswer, type TestDnsServer } from '../support/system/test-dns-server';

// Short enough for quick tests, long enough that "at once" (< 100 ms) is unmistakable: a dead name takes 500 ms.
const TIMEOUT_MS = 250;
const TRIES = 2;
const DEADLINE_MS = TIMEOUT_MS * TRIES;

const HOSTS_FILE = `# operator-pinned names
127.0.0.1   localhost
::1         localhost ip6-localhost   # loopback over IPv6
10.0.0.7    pinned.example.test  Pinned-Alias.example.test.
2001:db8::7 pinned.example.test
`;

/** What the loopback DNS server says: `dead-*` names are black-holed, a few names are special, the rest answer. */
function zone(name: string): DnsAnswer {
  if (name.startsWith('dead')) return 'silent';
  switch (name) {
    case 'both.example.test':
      return { A: ['192.0.2.1'], AAAA: ['2001:db8::1'] };
    case 'v4only.example.test':
      return { A: ['192.0.2.4'] };
    case 'v6only.example.test':
      return { AAAA: ['2001:db8::6'] };
    case 'nxdomain.example.test':
      return 'NXDOMAIN';
    case 'servfail.example.test':
      return 'SERVFAIL';
    case 'short-ttl.example.test':
      return { A: ['192.0.2.9'], ttl: 1 };
    case 'long-ttl.example.test':
      return { A: ['192.0.2.10'], ttl: 3600 };
    default:
      return { A: ['192.0.2.200'] };
  }
}

type Settled = { ms: number; addresses?: string[]; error?: HostResolutionError };

/** Runs one lookup and says how long it took and what came of it, never rejecting. */
async function timed(lookup: () => Promise<string[]>): Promise<Settled> {
  const started = performance.now();
  try {
    const addresses = await lookup();
    return { ms: performance.now() - started, addresses };
  } catch (error) {
    assert.ok(error instanceof HostResolutionError, `not a HostResolutionError: ${String(error)}`);
    return { ms: performance.now() - started, error };
  }
}

describe('createHostResolver', () => {
  let dns: TestDnsServer;
  let directory: string;
  let hostsFile: string;

  before(async () => {
    dns = await startTestDnsServer(zone);
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-resolver-'));
    hostsFile = path.join(directory, 'hosts');
    fs.writeFileSync(hostsFile, HOSTS_FILE);
  });

  after(async () => {
    await dns.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  beforeEach(() => {
    dns.questions.length = 0;
  });

  /** A fresh resolver (empty caches) that asks only the loopback server and reads only the temporary hosts file. */
  function resolverWith(options: HostResolverOptions = {}): HostResolver {
    return createHostResolver({ servers: [dns.address], hostsFile, timeoutMs: TIMEOUT_MS, tries: TRIES, ...options });
  }

  describe('names it answers without DNS', () => {
    it('answers hosts-file names, aliases and both families, in file order', async () => {
      const resolve = resolverWith();

      assert.deepEqual(await resolve('pinned.example.test'), ['10.0.0.7', '2001:db8::7']);
      assert.deepEqual(await resolve('PINNED-alias.example.test.'), ['10.0.0.7']);
      assert.deepEqual(await resolve('localhost'), ['127.0.0.1', '::1']);
      assert.deepEqual(await resolve('ip6-localhost'), ['::1']);
      assert.deepEqual(dns.questions, []);
    });

    it('answers localhost names as loopback when the hosts file does not list them', async () => {
      const resolve = resolverWith({ hostsFile: path.join(directory, 'missing') });

      assert.deepEqual(await resolve('localhost'), ['127.0.0.1', '::1']);
      assert.deepEqual(await resolve('app.localhost'), ['127.0.0.1', '::1']);
      assert.deepEqual(dns.questions, []);
    });

    it('returns IP literals as they are, in any spelling the URL parser and inet_aton accept', async () => {
      const resolve = resolverWith();

      assert.deepEqual(await resolve('192.0.2.1'), ['192.0.2.1']);
      assert.deepEqual(await resolve('[2001:db8::1]'), ['2001:db8::1']);
      assert.deepEqual(await resolve('0x7f.1'), ['127.0.0.1']);
      assert.deepEqual(dns.questions, []);
    });
  });

  describe('names it asks DNS about', () => {
    it('asks for A and AAAA records and accepts a name that has only one of them', async () => {
      const resolve = resolverWith();

      assert.deepEqual(await resolve('both.example.test'), ['192.0.2.1', '2001:db8::1']);
      assert.deepEqual(await resolve('v4only.example.test'), ['192.0.2.4']);
      assert.deepEqual(await resolve('v6only.example.test'), ['2001:db8::6']);
      assert.deepEqual(
        dns.questionsAbout('both.example.test').map((question) => question.type),
        ['A', 'AAAA'],
      );
    });

    it('fails a name that does not exist with ENOTFOUND and a failing server with ESERVFAIL, naming the host', async () => {
      const resolve = resolverWith();

      const missing = await timed(() => resolve('nxdomain.example.test'));
      assert.equal(missing.error?.code, 'ENOTFOUND');
      assert.equal(missing.error?.message, 'ENOTFOUND: DNS has no A or AAAA record for nxdomain.example.test');

      const failing = await timed(() => resolve('servfail.example.test'));
      assert.equal(failing.error?.code, 'ESERVFAIL');
      assert.equal(
        failing.error?.message,
        'ESERVFAIL: DNS lookup of servfail.example.test failed (the DNS server reported a failure)',
      );
    });

    it('fails with ETIMEOUT after timeout × tries when the name server never answers', async () => {
      const resolve = resolverWith();

      const dead = await timed(() => resolve('dead.example.test'));

      assert.equal(dead.error?.code, 'ETIMEOUT');
      assert.equal(dead.error?.hostname, 'dead.example.test');
      assert.equal(dead.error?.message, 'ETIMEOUT: no DNS answer for dead.example.test (2 tries of 250 ms)');
      assert.ok(dead.ms >= DEADLINE_MS - 20 && dead.ms < DEADLINE_MS + 200, `took ${dead.ms} ms`);
      // Each try asks both families once.
      assert.equal(dns.questionsAbout('dead.example.test').length, TRIES * 2);
    });
    it('asks the next server first on the next try, so a dead first server costs one timeout', async () => {
      const silent = await startTestDnsServer();
      try {
        const resolve = createHostResolver({
          servers: [silent.address, dns.address],
          hostsFile,
          timeoutMs: TIMEOUT_MS,
          tries: TRIES,
        });

        const lookup = await timed(() => resolve('failover.example.test'));

        assert.deepEqual(lookup.addresses, ['192.0.2.200']);
        assert.ok(lookup.ms >= TIMEOUT_MS - 20 && lookup.ms < TIMEOUT_MS + 150, `took ${lookup.ms} ms`);
        assert.equal(silent.questionsAbout('failover.example.test').length, 2);
      } finally {
        await silent.close();
      }
    });
  });

  describe('the black hole', () => {
    it('resolves hosts-file names, IP literals and other DNS names at once while dead lookups are in flight', async () => {
      const resolve = resolverWith();
      const deadLookups = Array.from({ length: 8 }, (_, index) =>
        timed(() => resolve(`dead-${index}.example.test`, index % 2 === 0 ? { teamId: 'team-a' } : undefined)),
      );
      await sleep(20); // the dead queries are on the wire

      const pinned = await timed(() => resolve('pinned.example.test', { teamId: 'team-b' }));
      const literal = await timed(() => resolve('192.0.2.55', { teamId: 'team-b' }));
      const other = await timed(() => resolve('alive.example.test', { teamId: 'team-b' }));

      for (const healthy of [pinned, literal, other]) {
        assert.equal(healthy.error, undefined);
        assert.ok(healthy.ms < 100, `took ${healthy.ms} ms`);
      }
      assert.deepEqual(other.addresses, ['192.0.2.200']);
      for (const dead of await Promise.all(deadLookups)) {
        assert.equal(dead.error?.code, 'ETIMEOUT');
        assert.ok(dead.ms < DEADLINE_MS + 200, `a dead lookup took ${dead.ms} ms`);
      }
    });

    it("answers while libuv's thread pool is fully blocked, which getaddrinfo could not", async () => {
      const pool = await blockThreadPool();
      try {
        const resolve = resolverWith();
        for (const host of ['pinned.example.test', '192.0.2.56', 'pool.example.test', 'localhost']) {
          const lookup = await timed(() => resolve(host, { teamId: 'team-a' }));
          assert.equal(lookup.error, undefined, host);
          assert.ok(lookup.ms < 100, `${host} took ${lookup.ms} ms`);
        }
      } finally {
        await pool.release();
      }
    });
  });

  describe('caches', () => {
    it('fails a dead name again at once from the negative cache, and asks again after the negative TTL', async () => {
      const resolve = resolverWith({ negativeTtlMs: 300 });

      const first = await timed(() => resolve('dead-again.example.test'));
      const second = await timed(() => resolve('dead-again.example.test'));

      assert.equal(first.error?.code, 'ETIMEOUT');
      assert.equal(second.error?.code, 'ETIMEOUT');
      assert.match(second.error?.message ?? '', /^ETIMEOUT: no DNS answer for dead-again\.example\.test .*\(cached\)$/);
      assert.ok(second.ms < 20, `the cached failure took ${second.ms} ms`);
      assert.equal(dns.questionsAbout('dead-again.example.test').length, TRIES * 2);

      await sleep(320);
      const third = resolve('dead-again.example.test').catch((error: HostResolutionError) => error.code);
      await sleep(20);
      assert.equal(dns.questionsAbout('dead-again.example.test').length, TRIES * 2 + 2);
      assert.equal(await third, 'ETIMEOUT');
    });

    it('remembers that a name does not exist', async () => {
      const resolve = resolverWith();

      await assert.rejects(resolve('nxdomain.example.test'), { code: 'ENOTFOUND' });
      await assert.rejects(resolve('nxdomain.example.test'), { code: 'ENOTFOUND' });
      assert.equal(dns.questionsAbout('nxdomain.example.test').length, 2);
    });

    it("keeps an answer for its records' TTL and no longer", async () => {
      const resolve = resolverWith();

      assert.deepEqual(await resolve('short-ttl.example.test'), ['192.0.2.9']);
      assert.deepEqual(await resolve('short-ttl.example.test'), ['192.0.2.9']);
      assert.equal(dns.questionsAbout('short-ttl.example.test').length, 2);

      await sleep(1_050); // the record's TTL is 1 s
      assert.deepEqual(await resolve('short-ttl.example.test'), ['192.0.2.9']);
      assert.equal(dns.questionsAbout('short-ttl.example.test').length, 4);
    });

    it('keeps no answer longer than maxTtlMs, whatever the TTL', async () => {
      const resolve = resolverWith({ maxTtlMs: 200 });

      await resolve('long-ttl.example.test');
      await resolve('long-ttl.example.test');
      assert.equal(dns.questionsAbout('long-ttl.example.test').length, 2);

      await sleep(220);
      await resolve('long-ttl.example.test');
      assert.equal(dns.questionsAbout('long-ttl.example.test').length, 4);
    });

    it('forgets the least recently used names past cacheSize', async () => {
      const resolve = resolverWith({ cacheSize: 2 });

      await resolve('lru-1.example.test');
      await resolve('lru-2.example.test');
      await resolve('lru-1.example.test'); // now the most recently used
      await resolve('lru-3.example.test'); // pushes out lru-2
      await resolve('lru-1.example.test');
      await resolve('lru-2.example.test');

      assert.equal(dns.questionsAbout('lru-1.example.test').length, 2);
      assert.equal(dns.questionsAbout('lru-2.example.test').length, 4);
    });
  });

  describe('single flight', () => {
    it('sends one query on the wire for concurrent lookups of one name, from any team', async () => {
      const resolve = resolverWith();

      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, index) => resolve('shared.example.test', { teamId: `team-${index % 3}` })),
      );

      for (const addresses of answers) assert.deepEqual(addresses, ['192.0.2.200']);
      assert.deepEqual(
        dns.questionsAbout('shared.example.test').map((question) => question.type),
        ['A', 'AAAA'],
      );
    });

    it('shares one dead query among concurrent lookups of the dead name', async () => {
      const resolve = resolverWith();

      const lookups = await Promise.all(
        Array.from({ length: 20 }, () => timed(() => resolve('dead-shared.example.test'))),
      );

      for (const lookup of lookups) assert.equal(lookup.error?.code, 'ETIMEOUT');
      assert.equal(dns.questionsAbout('dead-shared.example.test').length, TRIES * 2);
    });
  });

  describe('the per-team cap', () => {
    it("keeps a team at its cap waiting for its own lookups, never another team's", async () => {
      const resolve = resolverWith({ concurrencyPerTeam: 2 });
      const started = performance.now();
      const deadLookups = [1, 2].map((n) => timed(() => resolve(`dead-a${n}.example.test`, { teamId: 'team-a' })));
      await sleep(20);

      let thirdOfTeamA: Settled | undefined;
      const third = timed(() => resolve('alive-a.example.test', { teamId: 'team-a' })).then((settled) => {
        thirdOfTeamA = settled;
        return settled;
      });
      const teamB = await timed(() => resolve('alive-b.example.test', { teamId: 'team-b' }));

      assert.deepEqual(teamB.addresses, ['192.0.2.200']);
      assert.ok(teamB.ms < 100, `team B waited ${teamB.ms} ms`);
      assert.equal(thirdOfTeamA, undefined, "team A's third lookup should wait for a slot of team A");
      assert.equal(dns.questionsAbout('alive-a.example.test').length, 0);

      const settledThird = await third;
      assert.deepEqual(settledThird.addresses, ['192.0.2.200']);
      assert.ok(performance.now() - started >= DEADLINE_MS - 20, "team A's third ran only after its dead ones ended");
      for (const dead of await Promise.all(deadLookups)) assert.equal(dead.error?.code, 'ETIMEOUT');
    });

    it('does not cap lookups that name no team', async () => {
      const resolve = resolverWith({ concurrencyPerTeam: 1 });

      const lookups = Array.from({ length: 6 }, (_, index) => timed(() => resolve(`dead-anon-${index}.example.test`)));
      await sleep(50);

      assert.equal(new Set(dns.questions.map((question) => question.name)).size, 6);
      for (const lookup of await Promise.all(lookups)) assert.equal(lookup.error?.code, 'ETIMEOUT');
    });

    it('gives up with ETIMEOUT when its team has had no free slot for timeout × tries', async () => {
      const resolve = resolverWith({ concurrencyPerTeam: 1 });
      const first = timed(() => resolve('dead-c1.example.test', { teamId: 'team-c' }));
      await sleep(20);
      const second = timed(() => resolve('dead-c2.example.test', { teamId: 'team-c' }));
      await sleep(20);

      // First in line gets the slot the first dead lookup frees; the third has waited its full deadline by then.
      const third = await timed(() => resolve('alive-c.example.test', { teamId: 'team-c' }));

      assert.equal(third.error?.code, 'ETIMEOUT');
      assert.equal(
        third.error?.message,
        'ETIMEOUT: DNS lookup of alive-c.example.test not started within 500 ms: its team was at its cap of 1 concurrent lookups',
      );
      assert.equal(dns.questionsAbout('alive-c.example.test').length, 0);
      assert.equal((await first).error?.code, 'ETIMEOUT');
      assert.equal((await second).error?.code, 'ETIMEOUT');
    });
  });

  it('counts lookups, queries, cache hits, negative hits and timeouts through the metrics hook', async () => {
    const counted: Partial<Record<HostResolverEvent, number>> = {};
    const resolve = resolverWith({
      metrics: { count: (event) => void (counted[event] = (counted[event] ?? 0) + 1) },
    });

    await resolve('counted.example.test');
    await resolve('counted.example.test');
    await resolve('pinned.example.test');
    await assert.rejects(resolve('dead-counted.example.test'));
    await assert.rejects(resolve('dead-counted.example.test'));

    assert.deepEqual(counted, { lookup: 5, query: 2, cache_hit: 1, hosts_file_hit: 1, timeout: 1, negative_hit: 1 });
  });

  it('refuses settings that would make no lookup possible', () => {
    assert.throws(() => createHostResolver({ timeoutMs: 0 }), /timeoutMs must be a positive integer/);
    assert.throws(() => createHostResolver({ tries: 1.5 }), /tries must be a positive integer/);
    assert.throws(() => createHostResolver({ concurrencyPerTeam: 0 }), /limit must be a positive integer/);
    assert.throws(() => createHostResolver({ servers: ['not an address'] }), /Invalid IP address/);
  });
});
