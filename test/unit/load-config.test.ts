import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/load-config';

describe('loadConfig', () => {
  describe('DNS', () => {
    it('defaults to the system servers, 2 tries of 2 s, a 30 s negative cache and 4 lookups per team', () => {
      assert.deepEqual(loadConfig({}).dns, {
        servers: undefined,
        timeoutMs: 2_000,
        tries: 2,
        negativeTtlMs: 30_000,
        concurrencyPerTeam: 4,
      });
    });

    it('reads servers as comma-separated addresses with optional ports, and the numbers as given', () => {
      const config = loadConfig({
        DNS_SERVERS: '10.0.0.2, 127.0.0.1:5353,2001:db8::53,[2001:db8::54]:5353',
        DNS_TIMEOUT_MS: '500',
        DNS_TRIES: '3',
        DNS_NEGATIVE_TTL_S: '0',
        DNS_CONCURRENCY_PER_TEAM: '8',
      });

      assert.deepEqual(config.dns, {
        servers: ['10.0.0.2', '127.0.0.1:5353', '2001:db8::53', '[2001:db8::54]:5353'],
        timeoutMs: 500,
        tries: 3,
        negativeTtlMs: 0,
        concurrencyPerTeam: 8,
      });
    });

    it('fails naming the variable for a server that is not an address, and for numbers out of range', () => {
      for (const [variable, value] of [
        ['DNS_SERVERS', 'dns.example.com'],
        ['DNS_SERVERS', '127.0.0.1:99999'],
        ['DNS_SERVERS', ' , '],
        ['DNS_TIMEOUT_MS', '0'],
        ['DNS_TRIES', 'two'],
        ['DNS_CONCURRENCY_PER_TEAM', '0'],
      ] as const) {
        assert.throws(
          () => loadConfig({ [variable]: value }),
          (error: Error) => error instanceof ConfigError && error.message.includes(`  ${variable}: `),
          `${variable}=${value}`,
        );
      }
    });
  });

  describe('failed authentications and proxies', () => {
    it('limits 60 failed authentications per source and minute, and believes no proxy, by default', () => {
      const config = loadConfig({});
      assert.equal(config.authFailuresPerMinute, 60);
      assert.equal(config.trustProxy, false);
    });

    it('reads TRUST_PROXY as a hop count or a list of addresses, subnets and names', () => {
      assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
      assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
      assert.deepEqual(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8 2001:db8::1' }).trustProxy, [
        'loopback',
        '10.0.0.0/8',
        '2001:db8::1',
      ]);
    });

    it('keeps history for ever unless RETENTION_DAYS says otherwise', () => {
      assert.equal(loadConfig({}).retentionDays, 0);
      assert.equal(loadConfig({ RETENTION_DAYS: '90' }).retentionDays, 90);
      assert.throws(() => loadConfig({ RETENTION_DAYS: '-1' }), /RETENTION_DAYS/);
    });

    it('refuses TRUST_PROXY=true and entries that are not addresses, naming the variable', () => {
      for (const value of ['true', 'proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/2']) {
        assert.throws(
          () => loadConfig({ TRUST_PROXY: value }),
          (error: Error) => error instanceof ConfigError && error.message.includes('  TRUST_PROXY: '),
          value,
        );
      }
    });
  });
});
