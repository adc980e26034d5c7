import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config';
import { INTERNAL_SERVICE_PORTS, blockedPortReason, effectivePort } from '../../src/targets/blocked-port';
import { parsePortRanges } from '../../src/targets/port-range';

describe('blocked-port', () => {
  describe('the default rule', () => {
    it('allows 443, and 80 only where plain http:// targets are allowed', () => {
      assert.equal(blockedPortReason(443), undefined);
      assert.equal(blockedPortReason(443, { allowHttp: true }), undefined);
      assert.equal(blockedPortReason(80), 'port 80, below 1024');
      assert.equal(blockedPortReason(80, { allowHttp: true }), undefined);
    });

    it('refuses every other port below 1024 (ssh, smtp, dns, ldap, smb, ...)', () => {
      for (const port of [1, 7, 9, 21, 22, 23, 25, 53, 110, 143, 389, 445, 465, 587, 636, 993, 1023]) {
        assert.equal(blockedPortReason(port, { allowHttp: true }), `port ${port}, below 1024`);
      }
    });

    it('refuses the ports of well-known internal services, naming the service', () => {
      const expected: Array<[number, string]> = [
        [2375, 'the Docker Engine API'],
        [2376, 'the Docker Engine API'],
        [2379, 'etcd'],
        [2380, 'etcd'],
        [3306, 'MySQL'],
        [5432, 'PostgreSQL'],
        [5984, 'CouchDB'],
        [6379, 'Redis'],
        [6443, 'the Kubernetes API'],
        [7233, 'Temporal'],
        [8500, 'Consul'],
        [9042, 'Cassandra'],
        [9200, 'Elasticsearch'],
        [9300, 'Elasticsearch'],
        [10250, 'the kubelet API'],
        [11211, 'memcached'],
        [27017, 'MongoDB'],
      ];
      for (const [port, service] of expected) {
        assert.equal(blockedPortReason(port), `port ${port}, used by ${service}`);
      }
    });

    it('allows the other ports from 1024 up, where receivers live (8080, 8443, 3000, ...)', () => {
      for (const port of [1024, 3000, 5000, 8000, 8080, 8443, 8888, 9000, 9443, 65535]) {
        assert.equal(blockedPortReason(port), undefined, String(port));
      }
    });

    it('never refuses a port of the kernel ephemeral range, so loopback test receivers on random ports work', () => {
      // Linux hands out 32768-60999 for listen(0); no internal service of the list sits there.
      for (const range of INTERNAL_SERVICE_PORTS) {
        assert.ok(range.to < 32768 || range.from > 60999, `${range.service} overlaps the ephemeral ports`);
      }
    });
  });

  describe('with ALLOWED_TARGET_PORTS', () => {
    const allowedPorts = parsePortRanges('443, 8443, 9000-9099');

    it('allows exactly the listed ports and ranges, replacing the default rule', () => {
      for (const port of [443, 8443, 9000, 9050, 9099]) {
        assert.equal(blockedPortReason(port, { allowedPorts }), undefined, String(port));
      }
      for (const port of [80, 8080, 8999, 9100, 40000]) {
        assert.equal(
          blockedPortReason(port, { allowedPorts, allowHttp: true }),
          `port ${port}, not in ALLOWED_TARGET_PORTS`,
        );
      }
    });

    it('lets an operator open a port of the deny list on purpose', () => {
      assert.equal(blockedPortReason(6379, { allowedPorts: parsePortRanges('6379') }), undefined);
      assert.equal(blockedPortReason(22, { allowedPorts: parsePortRanges('1-65535') }), undefined);
    });
  });

  describe('parsePortRanges', () => {
    it('reads ports and ranges, with spaces', () => {
      assert.deepEqual(parsePortRanges('443'), [{ from: 443, to: 443 }]);
      assert.deepEqual(parsePortRanges(' 443 ,8000 - 8100,65535'), [
        { from: 443, to: 443 },
        { from: 8000, to: 8100 },
        { from: 65535, to: 65535 },
      ]);
    });

    it('refuses what is not a port or a range, naming the entry', () => {
      for (const [text, entry] of [
        ['0', '0'],
        ['65536', '65536'],
        ['443,abc', 'abc'],
        ['9100-9000', '9100-9000'],
        ['443,,8443', ''],
        ['-443', '-443'],
        ['443-', '443-'],
        ['4.43', '4.43'],
      ] as const) {
        assert.throws(
          () => parsePortRanges(text),
          new RangeError(`"${entry}" is not a port (1-65535) or a range such as 9000-9099`),
          text,
        );
      }
      assert.throws(() => parsePortRanges(' , '), /at least one port/);
    });
  });

  it('knows the default port of each scheme', () => {
    assert.equal(effectivePort('https:', ''), 443);
    assert.equal(effectivePort('http:', ''), 80);
    assert.equal(effectivePort('https:', '8443'), 8443);
  });

  describe('ALLOWED_TARGET_PORTS in the configuration', () => {
    it('is unset by default, which means the default rule', () => {
      assert.equal(loadConfig({}).targets.allowedPorts, undefined);
      assert.equal(loadConfig({ ALLOWED_TARGET_PORTS: '' }).targets.allowedPorts, undefined);
    });

    it('is parsed into ranges', () => {
      assert.deepEqual(loadConfig({ ALLOWED_TARGET_PORTS: '443,9000-9001' }).targets.allowedPorts, [
        { from: 443, to: 443 },
        { from: 9000, to: 9001 },
      ]);
    });

    it('stops the process with a message naming the variable and the bad entry', () => {
      assert.throws(
        () => loadConfig({ ALLOWED_TARGET_PORTS: '443,https' }),
        /ALLOWED_TARGET_PORTS: "https" is not a port \(1-65535\) or a range such as 9000-9099/,
      );
    });
  });
});
