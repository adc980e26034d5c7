import assert from 'node:assert/strict';
import { isIPv6 } from 'node:net';
import { blockedHostReason } from '../../src/targets/blocked-host';
import { normalizeHost } from '../../src/targets/parse-target-host';
import { checkWebhookUrl, type TargetPolicy } from '../../src/targets/target-policy';

/**
 * One row per target form a stranger could type. `host` rows are checked twice: raw (as a resolver would see the
 * string) and as `https://<host>/` through checkWebhookUrl (where `new URL()` canonicalises first). `url` rows go
 * through checkWebhookUrl only. `blocked` is a fragment the refusal must contain; rows without it must pass.
 */
interface Form {
  form: string;
  via: 'host' | 'url';
  blocked?: string;
}

const host = (form: string, blocked?: string): Form => ({ form, via: 'host', blocked });
const url = (form: string, blocked?: string): Form => ({ form, via: 'url', blocked });

const FORMS: Form[] = [
  // IPv4, including the spellings inet_aton and WHATWG URL accept
  host('127.0.0.1', 'loopback address 127.0.0.1'),
  host('127.255.255.254', 'loopback address 127.255.255.254'),
  host('2130706433', 'loopback address 127.0.0.1'),
  host('0177.0.0.1', 'loopback address 127.0.0.1'),
  host('0x7f.0x0.0x0.0x1', 'loopback address 127.0.0.1'),
  host('0x7f000001', 'loopback address 127.0.0.1'),
  host('127.1', 'loopback address 127.0.0.1'),
  host('127.0.1', 'loopback address 127.0.0.1'),
  host('127.0.0.1.', 'loopback address 127.0.0.1'),
  host('0.0.0.0', 'unspecified address 0.0.0.0'),
  host('0', 'unspecified address 0.0.0.0'),
  host('0.1.2.3', "'this network' address 0.1.2.3"),
  host('10.0.0.5', 'private address 10.0.0.5'),
  host('012.0.0.1', 'private address 10.0.0.1'),
  host('172.16.0.1', 'private address 172.16.0.1'),
  host('172.31.255.255', 'private address 172.31.255.255'),
  host('192.168.1.1', 'private address 192.168.1.1'),
  host('169.254.169.254', 'cloud metadata address 169.254.169.254'),
  host('0xa9fea9fe', 'cloud metadata address 169.254.169.254'),
  host('169.254.170.2', 'cloud metadata address 169.254.170.2'),
  host('100.100.100.200', 'cloud metadata address 100.100.100.200'),
  host('192.0.0.192', 'cloud metadata address 192.0.0.192'),
  host('168.63.129.16', 'cloud platform address 168.63.129.16'),
  host('169.254.1.1', 'link-local address 169.254.1.1'),
  host('100.64.0.1', 'carrier-grade NAT address 100.64.0.1'),
  host('224.0.0.1', 'multicast address 224.0.0.1'),
  host('239.255.255.250', 'multicast address 239.255.255.250'),
  host('240.0.0.1', 'reserved address 240.0.0.1'),
  host('255.255.255.255', 'broadcast address 255.255.255.255'),
  host('192.0.0.8', 'IETF protocol assignment address 192.0.0.8'),
  host('192.0.2.1', 'documentation address 192.0.2.1'),
  host('198.51.100.7', 'documentation address 198.51.100.7'),
  host('203.0.113.9', 'documentation address 203.0.113.9'),
  host('198.18.0.1', 'benchmarking address 198.18.0.1'),
  host('198.19.255.255', 'benchmarking address 198.19.255.255'),
  // IPv6, and the forms that carry an IPv4 address inside
  host('::1', 'loopback address ::1'),
  host('[::1]', 'loopback address ::1'),
  host('0:0:0:0:0:0:0:1', 'loopback address'), // new URL() shortens it to ::1
  host('::', 'unspecified address ::'),
  host('fc00::1', 'unique-local address fc00::1'),
  host('fd12:3456::1', 'unique-local address fd12:3456::1'),
  host('fd00:ec2::254', 'cloud metadata address fd00:ec2::254'),
  host('fe80::1', 'link-local address fe80::1'),
  host('fe80::1%eth0', 'link-local address fe80::1'),
  host('[fe80::1%eth0]', 'link-local address fe80::1'),
  host('fec0::1', 'site-local address fec0::1'),
  host('ff02::1', 'multicast address ff02::1'),
  host('2001:db8::1', 'documentation address 2001:db8::1'),
  host('3fff::1', 'documentation address 3fff::1'),
  host('::ffff:127.0.0.1', '(loopback address 127.0.0.1)'),
  host('::ffff:a9fe:a9fe', 'IPv4-mapped address ::ffff:a9fe:a9fe (cloud metadata address 169.254.169.254)'),
  host('::127.0.0.1', 'IPv4-compatible address'),
  host('64:ff9b::10.0.0.1', '(private address 10.0.0.1)'),
  host('64:ff9b::a9fe:a9fe', '(cloud metadata address 169.254.169.254)'),
  host('64:ff9b:1::1', 'local-use NAT64 address 64:ff9b:1::1'),
  host('2002:7f00:1::1', '6to4 address 2002:7f00:1::1 (loopback address 127.0.0.1)'),
  host('2002:c0a8:101::1', '(private address 192.168.1.1)'),
  host('2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo tunnel address'),
  host('2001:2::1', 'benchmarking address 2001:2::1'),
  host('2001:10::1', 'ORCHID address 2001:10::1'),
  host('2001:20::1', 'ORCHIDv2 address 2001:20::1'),
  host('100::1', 'discard-only address 100::1'),
  host('5f00::1', 'outside global unicast space'),
  // names refused before any lookup
  host('localhost', 'loopback name localhost'),
  host('LOCALHOST.', 'loopback name localhost'),
  host('api.localhost', 'loopback name api.localhost'),
  host('localhost.localdomain', 'loopback name localhost.localdomain'),
  host('metadata.google.internal', 'cloud metadata name metadata.google.internal'),
  host('db.internal', 'local-network name db.internal (.internal)'),
  host('printer.local', 'local-network name printer.local (.local)'),
  host('router.home.arpa', 'local-network name router.home.arpa (.home.arpa)'),
  host('redis', 'single-label name redis'),
  // URL-only spellings: WHATWG decodes and maps these to 127.0.0.1 before we see the host
  url('https://%31%32%37.0.0.1/', 'loopback address 127.0.0.1'),
  url('https://127。0。0。1/', 'loopback address 127.0.0.1'),
  url('https://①②⑦.0.0.1/', 'loopback address 127.0.0.1'),
  url('https://[::ffff:7f00:1]:8443/hook', '(loopback address 127.0.0.1)'),
  // names judged by what they resolve to (the injected resolver below)
  url('https://localtest.me/hook', 'localtest.me resolves to loopback address 127.0.0.1'),
  url('https://127.0.0.1.nip.io/', 'resolves to loopback address 127.0.0.1'),
  url('https://mixed.example/', 'mixed.example resolves to private address 10.0.0.5'),
  url('https://imds.example/', '(cloud metadata address 169.254.169.254)'),
  url('https://v6-internal.example/', 'resolves to unique-local address fd00::1'),
  // everything else about the URL
  url('http://example.com/', 'must start with https://'),
  url('ftp://example.com/', 'must start with https://'),
  url('file:///etc/passwd', 'must start with https://'),
  url('https://user:pass@example.com/', 'must not contain credentials'),
  url('https://127.0.0.1:443@example.com/', 'must not contain credentials'),
  url(`https://example.com/${'a'.repeat(500)}`, 'not be greater than 500 characters'),
  url('not a url', 'must be a valid URL'),
  // public targets that must pass
  host('93.184.216.34'),
  host('8.8.8.8'),
  host('172.32.0.1'),
  host('100.128.0.1'),
  host('2606:4700::1111'),
  host('[2606:4700::1111]'),
  host('::ffff:8.8.8.8'),
  host('64:ff9b::8.8.8.8'),
  host('2002:808:808::1'),
  url('https://example.com/hook'),
  url('https://example.com:8443/hook?x=1'),
  url('https://hooks.example.com./in'),
  url('https://not-yet-in-dns.example/'),
];

const STRICT: TargetPolicy = { allowHttp: false, allowPrivate: false };

const DNS: Record<string, string[]> = {
  'example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'hooks.example.com': ['93.184.216.34'],
  'localtest.me': ['127.0.0.1'],
  '127.0.0.1.nip.io': ['127.0.0.1'],
  'mixed.example': ['93.184.216.34', '10.0.0.5'],
  'imds.example': ['::ffff:169.254.169.254'],
  'v6-internal.example': ['fd00::1'],
};

/** Answers from the table above; any other name does not exist. Never touches real DNS. */
async function fakeResolve(name: string): Promise<string[]> {
  const addresses = DNS[name];
  if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return addresses;
}

/** `https://<host>/` for a host form, or undefined when a URL cannot carry it (a `%zone`). */
function asUrl(form: string): string | undefined {
  if (form.includes('%')) return undefined;
  return isIPv6(form) ? `https://[${form}]/` : `https://${form}/`;
}

describe('blocked-address: the forms a webhook target may take', () => {
  const blocked = FORMS.filter((row) => row.blocked !== undefined);

  after(() => {
    console.log(
      `      ${blocked.length} forms blocked, ${FORMS.length - blocked.length} allowed (${FORMS.length} in all)`,
    );
  });

  for (const row of FORMS) {
    const verdict = row.blocked === undefined ? 'accepts' : 'refuses';
    if (row.via === 'host') {
      it(`${verdict} the raw host ${row.form}`, () => {
        const reason = blockedHostReason(row.form);
        if (row.blocked === undefined) assert.equal(reason, undefined);
        else assert.ok(reason?.includes(row.blocked), `${JSON.stringify(reason)} lacks ${JSON.stringify(row.blocked)}`);
      });
    }
    const target = row.via === 'url' ? row.form : asUrl(row.form);
    if (target === undefined) continue;
    it(`${verdict} the url ${target.length > 60 ? `${target.slice(0, 57)}...` : target}`, async () => {
      const problem = await checkWebhookUrl(target, STRICT, fakeResolve);
      if (row.blocked === undefined) assert.equal(problem, undefined);
      else assert.ok(problem?.includes(row.blocked), `${JSON.stringify(problem)} lacks ${JSON.stringify(row.blocked)}`);
    });
  }

  it('has at least 40 forms, blocked and allowed', () => {
    assert.ok(blocked.length >= 40, `only ${blocked.length} blocked forms`);
    assert.ok(FORMS.length - blocked.length >= 5);
  });

  it('reads every odd IPv4 spelling as the same address new URL() does', () => {
    const spellings = ['2130706433', '0177.0.0.1', '0x7f.0x0.0x0.0x1', '0x7f000001', '127.1', '127.0.1', '127.0.0.1.'];
    for (const spelling of [...spellings, '012.0.0.1', '0xa9fea9fe', '0', '0x', '4294967295', '1.0x10.0377']) {
      const normalized = normalizeHost(spelling);
      assert.deepEqual(normalized, { kind: 'ip', ip: new URL(`http://${spelling}/`).hostname }, spelling);
    }
  });

  it('treats hosts that end in a number but are not valid IPv4 as refused names, as new URL() rejects them', () => {
    for (const form of ['1.2.3.4.5', '256.1.1.1', '08.0.0.1', '4294967296']) {
      assert.equal(normalizeHost(form).kind, 'name', form);
      assert.match(blockedHostReason(form) ?? '', /numeric host name/, form);
      assert.throws(() => new URL(`http://${form}/`), form);
    }
  });
});
