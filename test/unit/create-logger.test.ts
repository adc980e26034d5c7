import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/system/create-logger';

describe('createLogger', () => {
  it('redacts secrets, tokens and authorization headers wherever a caller puts them', () => {
    let text = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    });
    createLogger('info', {}, sink).info(
      {
        secret: 'whsec_abc',
        webhook: { secret: 'whsec_def' },
        token: 'th_x',
        req: { headers: { authorization: 'Bearer th_y' } },
      },
      'hello',
    );
    for (const leaked of ['whsec_abc', 'whsec_def', 'th_x', 'th_y'])
      assert.ok(!text.includes(leaked), `${leaked} leaked: ${text}`);
    assert.match(text, /\[redacted\]/);
    assert.match(text, /"msg":"hello"/);
  });
});
