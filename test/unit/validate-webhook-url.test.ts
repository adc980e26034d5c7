import assert from 'node:assert/strict';
import { checkWebhookUrlSyntax as validateWebhookUrl } from '../../src/targets/target-policy';

const STRICT = { allowHttp: false, allowPrivate: false };

describe('validateWebhookUrl', () => {
  it('accepts public https:// URLs up to 500 characters', () => {
    for (const url of [
      'https://hooks.example.com/lettermint',
      'https://8.8.8.8/x',
      'https://172.32.0.1/',
      `https://example.com/${'a'.repeat(480)}`,
    ]) {
      assert.equal(validateWebhookUrl(url, STRICT), undefined, url);
    }
  });

  it('refuses what is not a URL, too long, not https:// or carries credentials', () => {
    assert.equal(validateWebhookUrl('hooks.example.com', STRICT), 'The url field must be a valid URL.');
    assert.equal(
      validateWebhookUrl(`https://example.com/${'a'.repeat(481)}`, STRICT),
      'The url field must not be greater than 500 characters.',
    );
    assert.equal(validateWebhookUrl('http://example.com', STRICT), 'The url field must start with https://.');
    assert.equal(
      validateWebhookUrl('ftp://example.com', { allowHttp: true, allowPrivate: false }),
      'The url field must start with https:// or http://.',
    );
    assert.equal(
      validateWebhookUrl('https://user:pw@example.com', STRICT),
      'The url field must not contain credentials.',
    );
  });

  it('refuses localhost, loopback, private and link-local hosts, however spelt, naming why', () => {
    const cases: Array<[string, string]> = [
      ['https://localhost/x', 'loopback name localhost'],
      ['https://LOCALHOST./x', 'loopback name localhost'],
      ['https://api.localhost/x', 'loopback name api.localhost'],
      ['https://127.1.2.3:8443/', 'loopback address 127.1.2.3'],
      ['https://2130706433/', 'loopback address 127.0.0.1'],
      ['https://0x7f.1/', 'loopback address 127.0.0.1'],
      ['https://[::1]/', 'loopback address ::1'],
      ['https://10.0.0.1/', 'private address 10.0.0.1'],
      ['https://172.31.255.255/', 'private address 172.31.255.255'],
      ['https://192.168.0.1/', 'private address 192.168.0.1'],
      ['https://169.254.169.254/latest', 'cloud metadata address 169.254.169.254'],
    ];
    for (const [url, reason] of cases) {
      assert.equal(
        validateWebhookUrl(url, STRICT),
        `The url field must point to a public host (refused: ${reason}).`,
        url,
      );
    }
  });

  it('allows http:// and private targets only when the operator says so, but never cloud metadata', () => {
    const relaxed = { allowHttp: true, allowPrivate: true };
    assert.equal(validateWebhookUrl('http://127.0.0.1:3000/hook', relaxed), undefined);
    assert.equal(validateWebhookUrl('http://localhost:3000/hook', relaxed), undefined);
    assert.match(
      validateWebhookUrl('http://127.0.0.1:3000/hook', { allowHttp: true, allowPrivate: false })!,
      /loopback address/,
    );
    assert.equal(validateWebhookUrl('https://127.0.0.1/hook', { allowHttp: false, allowPrivate: true }), undefined);
    assert.match(validateWebhookUrl('http://169.254.169.254/', relaxed)!, /cloud metadata address/);
  });
});
