import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HostsFile, parseHostsFile } from '../../src/targets/hosts-file';

describe('hosts-file', () => {
  describe('parseHostsFile', () => {
    it('reads addresses, names and aliases, skipping comments and lines without a valid address', () => {
      const entries = parseHostsFile(
        [
          '# The operator pins these.',
          '127.0.0.1\tlocalhost',
          '::1     localhost ip6-localhost ip6-loopback   # loopback over IPv6',
          '10.0.0.7 Receiver.Example.Test. receiver',
          '2001:db8::7 receiver.example.test',
          'fe80::1%eth0 link.example.test',
          '   ',
          'not-an-address broken.example.test',
          '999.1.1.1 broken.example.test',
          '10.0.0.8',
          '10.0.0.7 receiver.example.test',
        ].join('\n'),
      );

      assert.deepEqual(Object.fromEntries(entries), {
        localhost: ['127.0.0.1', '::1'],
        'ip6-localhost': ['::1'],
        'ip6-loopback': ['::1'],
        'receiver.example.test': ['10.0.0.7', '2001:db8::7'],
        receiver: ['10.0.0.7'],
        'link.example.test': ['fe80::1%eth0'],
      });
    });

    it('accepts Windows line endings', () => {
      assert.deepEqual(parseHostsFile('10.0.0.1 a.test\r\n10.0.0.2 b.test\r\n').get('a.test'), ['10.0.0.1']);
    });
  });

  describe('HostsFile', () => {
    let directory: string;

    beforeEach(() => {
      directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tidehook-hosts-'));
    });

    afterEach(() => {
      fs.rmSync(directory, { recursive: true, force: true });
    });

    it('reads the file again once it changed, and knows no names while it is missing', () => {
      const file = path.join(directory, 'hosts');
      const hosts = new HostsFile({ path: file, checkIntervalMs: 0 });
      assert.equal(hosts.addressesOf('a.test'), undefined);

      fs.writeFileSync(file, '10.0.0.1 a.test\n');
      assert.deepEqual(hosts.addressesOf('a.test'), ['10.0.0.1']);

      fs.writeFileSync(file, '10.0.0.2 a.test\n');
      // Same size, so make sure the mtime differs even on a coarse clock.
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5_000));
      assert.deepEqual(hosts.addressesOf('a.test'), ['10.0.0.2']);

      fs.rmSync(file);
      assert.equal(hosts.addressesOf('a.test'), undefined);
    });

    it('looks at the file at most once per check interval', () => {
      const file = path.join(directory, 'hosts');
      fs.writeFileSync(file, '10.0.0.1 a.test\n');
      const hosts = new HostsFile({ path: file, checkIntervalMs: 60_000 });
      assert.deepEqual(hosts.addressesOf('a.test'), ['10.0.0.1']);

      fs.writeFileSync(file, '10.0.0.2 a.test b.test\n');
      assert.deepEqual(hosts.addressesOf('a.test'), ['10.0.0.1']);
      assert.equal(hosts.addressesOf('b.test'), undefined);
    });
  });
});
