import assert from 'node:assert/strict';
import type { HostResolver } from '../../src/targets/resolve-host';
import {
  MAX_WEBHOOK_URL_LENGTH,
  checkWebhookUrl,
  checkWebhookUrlSyntax,
  type TargetPolicy,
} from '../../src/targets/target-policy';

const STRICT: TargetPolicy = { allowHttp: false, allowPrivate: false };

/** A resolver with fixed answers that records every name it was asked; unknown names do not exist. */
function resolverOf(answers: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (name: string) => {
    asked.push(name);
    const addresses = answers[name];
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return addresses;
  };
  return Object.assign(resolve, { asked });
}

describe('target-policy', () => {
  describe('checkWebhookUrl', () => {
    it('refuses a name that resolves to a private address, naming the name and the address', async () => {
      const resolve = resolverOf({ 'hooks.example.com': ['10.0.0.5'] });
      assert.equal(
        await checkWebhookUrl('https://hooks.example.com/in', STRICT, resolve),
        'The url field must point to a public host (refused: hooks.example.com resolves to private address 10.0.0.5).',
      );
    });

    it('refuses a name that resolves to a public and a private address, whichever comes first', async () => {
      for (const order of [
        ['93.184.216.34', '10.0.0.5'],
        ['10.0.0.5', '93.184.216.34'],
      ]) {
        const resolve = resolverOf({ 'mixed.example.com': order });
        assert.match(
          (await checkWebhookUrl('https://mixed.example.com/', STRICT, resolve)) ?? '',
          /private address 10\.0\.0\.5/,
        );
      }
    });

    it('accepts a name that resolves only to public addresses', async () => {
      const resolve = resolverOf({ 'example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] });
      assert.equal(await checkWebhookUrl('https://example.com:8443/hook', STRICT, resolve), undefined);
      assert.deepEqual(resolve.asked, ['example.com']);
    });

    it('accepts a name that does not resolve yet, since every attempt is checked again at connect time', async () => {
      const resolve = resolverOf({ 'empty.example.com': [] });
      assert.equal(await checkWebhookUrl('https://not-yet.example.com/', STRICT, resolve), undefined);
      assert.equal(await checkWebhookUrl('https://empty.example.com/', STRICT, resolve), undefined);
    });

    it('judges IP literals and local-only names without asking DNS', async () => {
      const resolve = resolverOf({});
      assert.equal(
        await checkWebhookUrl('https://127.0.0.1/', STRICT, resolve),
        'The url field must point to a public host (refused: loopback address 127.0.0.1).',
      );
      assert.equal(
        await checkWebhookUrl('https://localhost:3000/', STRICT, resolve),
        'The url field must point to a public host (refused: loopback name localhost).',
      );
      assert.equal(await checkWebhookUrl('https://93.184.216.34/', STRICT, resolve), undefined);
      assert.deepEqual(resolve.asked, []);
    });

    it('refuses plain http:// unless the policy allows it', async () => {
      const resolve = resolverOf({ 'example.com': ['93.184.216.34'] });
      assert.equal(
        await checkWebhookUrl('http://example.com/', STRICT, resolve),
        'The url field must start with https://.',
      );
      const allowHttp = { ...STRICT, allowHttp: true };
      assert.equal(await checkWebhookUrl('http://example.com/', allowHttp, resolve), undefined);
      assert.equal(
        await checkWebhookUrl('ftp://example.com/', allowHttp, resolve),
        'The url field must start with https:// or http://.',
      );
    });

    it('does not let allowHttp open private addresses', async () => {
      const problem = await checkWebhookUrl(
        'http://127.0.0.1:8080/',
        { allowHttp: true, allowPrivate: false },
        resolverOf({}),
      );
      assert.equal(problem, 'The url field must point to a public host (refused: loopback address 127.0.0.1).');
    });

    it('lets loopback, private names and local-only names through when allowPrivate is set', async () => {
      const policy = { allowHttp: true, allowPrivate: true };
      const resolve = resolverOf({ 'receiver.internal': ['10.0.0.5'], 'intranet.example.com': ['192.168.1.10'] });
      for (const url of [
        'http://127.0.0.1:3000/hook',
        'http://localhost:3000/hook',
        'https://[::1]/',
        'https://receiver.internal/',
        'https://intranet.example.com/',
      ]) {
        assert.equal(await checkWebhookUrl(url, policy, resolve), undefined, url);
      }
    });

    it('keeps cloud metadata endpoints refused even when allowPrivate is set', async () => {
      const policy = { allowHttp: true, allowPrivate: true };
      const resolve = resolverOf({ 'imds.example.com': ['169.254.169.254'] });
      const cases: Array<[string, RegExp]> = [
        ['http://169.254.169.254/latest/meta-data/', /cloud metadata address 169\.254\.169\.254/],
        ['http://[fd00:ec2::254]/', /cloud metadata address fd00:ec2::254/],
        ['http://[64:ff9b::a9fe:a9fe]/', /NAT64 address .*cloud metadata address 169\.254\.169\.254/],
        ['http://metadata.google.internal/computeMetadata/v1/', /cloud metadata name metadata\.google\.internal/],
        ['http://imds.example.com/', /imds\.example\.com resolves to cloud metadata address 169\.254\.169\.254/],
      ];
      for (const [url, expected] of cases) {
        assert.match((await checkWebhookUrl(url, policy, resolve)) ?? '', expected, url);
      }
    });

    it('refuses credentials in the url, even a username alone', async () => {
      const resolve = resolverOf({ 'example.com': ['93.184.216.34'] });
      for (const url of [
        'https://user:secret@example.com/',
        'https://user@example.com/',
        'https://:secret@example.com/',
      ]) {
        assert.equal(await checkWebhookUrl(url, STRICT, resolve), 'The url field must not contain credentials.', url);
      }
    });
  });

  describe('destination ports (security audit finding 14)', () => {
    it('refuses a port outside the policy with a 422 message naming the url field and the reason', async () => {
      const resolve = resolverOf({ 'example.com': ['93.184.216.34'] });
      const cases: Array<[string, string]> = [
        ['https://example.com:22/', 'port 22, below 1024'],
        ['https://1.1.1.1:6379/', 'port 6379, used by Redis'],
        ['https://example.com:2375/containers/create', 'port 2375, used by the Docker Engine API'],
        ['https://example.com:80/', 'port 80, below 1024'],
      ];
      for (const [url, reason] of cases) {
        assert.equal(
          await checkWebhookUrl(url, STRICT, resolve),
          `The url field must use an allowed port (refused: ${reason}).`,
          url,
        );
      }
      assert.deepEqual(resolve.asked, [], 'a refused port needs no DNS');
    });

    it('accepts the default ports of https:// and, where allowed, http://, written or not', () => {
      const allowHttp = { ...STRICT, allowHttp: true };
      for (const url of ['https://example.com/', 'https://example.com:443/', 'https://example.com:8443/']) {
        assert.equal(checkWebhookUrlSyntax(url, STRICT), undefined, url);
      }
      for (const url of ['http://example.com/', 'http://example.com:80/', 'http://example.com:8080/']) {
        assert.equal(checkWebhookUrlSyntax(url, allowHttp), undefined, url);
      }
    });

    it('keeps the port policy when private targets are allowed, and lets loopback receivers on high ports through', () => {
      const local = { allowHttp: true, allowPrivate: true };
      assert.equal(
        checkWebhookUrlSyntax('http://127.0.0.1:6379/', local),
        'The url field must use an allowed port (refused: port 6379, used by Redis).',
      );
      assert.equal(
        checkWebhookUrlSyntax('http://10.0.0.5:2379/v3/kv/put', local),
        'The url field must use an allowed port (refused: port 2379, used by etcd).',
      );
      assert.equal(checkWebhookUrlSyntax('http://127.0.0.1:45123/hook', local), undefined);
    });

    it('accepts exactly the configured ports when the operator lists them', () => {
      const policy: TargetPolicy = { ...STRICT, allowedPorts: [{ from: 8443, to: 8443 }] };
      assert.equal(checkWebhookUrlSyntax('https://example.com:8443/', policy), undefined);
      assert.equal(
        checkWebhookUrlSyntax('https://example.com/', policy),
        'The url field must use an allowed port (refused: port 443, not in ALLOWED_TARGET_PORTS).',
      );
    });

    it('judges the host before the port, so the more serious refusal is the one named', () => {
      assert.equal(
        checkWebhookUrlSyntax('https://127.0.0.1:6379/', STRICT),
        'The url field must point to a public host (refused: loopback address 127.0.0.1).',
      );
    });
  });

  describe('checkWebhookUrlSyntax', () => {
    it('accepts a url of exactly the maximum length and refuses one character more', () => {
      const prefix = 'https://example.com/';
      const longest = prefix + 'a'.repeat(MAX_WEBHOOK_URL_LENGTH - prefix.length);
      assert.equal(checkWebhookUrlSyntax(longest, STRICT), undefined);
      assert.equal(
        checkWebhookUrlSyntax(`${longest}a`, STRICT),
        'The url field must not be greater than 500 characters.',
      );
    });

    it('refuses what is not an absolute URL', () => {
      for (const url of ['', 'example.com/hook', '/hook', 'https://']) {
        assert.equal(checkWebhookUrlSyntax(url, STRICT), 'The url field must be a valid URL.', url);
      }
    });

    it('cannot know where a name leads, so it accepts names that only DNS would refuse', () => {
      assert.equal(checkWebhookUrlSyntax('https://resolves-to-private.example.com/', STRICT), undefined);
    });
  });
});
