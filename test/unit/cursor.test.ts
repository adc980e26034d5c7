import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor, type Cursor } from '../../src/api/cursor';

const base64url = (json: unknown) => Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');

describe('cursor (page[cursor])', () => {
  const id = randomUUID();

  it('decodes what it encodes, for either direction and several sort values', () => {
    const cursors: Cursor[] = [
      { sort: '-created_at', direction: 'next', position: { values: ['2026-01-01T00:00:00.000001Z'], id } },
      {
        sort: 'name,-created_at',
        direction: 'prev',
        position: { values: ['Zoë – 100%', '2026-03-04T05:06:07.123456Z'], id },
      },
    ];
    for (const cursor of cursors) assert.deepEqual(decodeCursor(encodeCursor(cursor)), cursor);
  });

  it('is URL-safe text, whatever its values hold', () => {
    const text = encodeCursor({ sort: '-created_at', direction: 'next', position: { values: ['a/b+c?d=e'], id } });
    assert.match(text, /^[A-Za-z0-9_-]+$/);
  });

  it('keeps its wire format, so cursors clients hold stay valid: base64url of {s, d, v, id}', () => {
    assert.deepEqual(decodeCursor(base64url({ s: '-created_at', d: 'prev', v: ['x'], id })), {
      sort: '-created_at',
      direction: 'prev',
      position: { values: ['x'], id },
    });
    assert.equal(
      encodeCursor({ sort: 'created_at', direction: 'next', position: { values: ['v'], id } }),
      base64url({ s: 'created_at', d: 'next', v: ['v'], id }),
    );
  });

  it('answers undefined, never throws, for text that is not one of its cursors', () => {
    const valid = { s: '-created_at', d: 'next', v: ['x'], id };
    const garbage: Array<[what: string, text: string]> = [
      ['empty', ''],
      ['not base64', '!!!***'],
      ['not JSON', Buffer.from('hello').toString('base64url')],
      ['JSON null', base64url(null)],
      ['a JSON array', base64url([valid.s, valid.d, valid.v, valid.id])],
      ['a JSON string', base64url('cursor')],
      ['no id', base64url({ ...valid, id: undefined })],
      ['an id that is not a UUID', base64url({ ...valid, id: '42' })],
      ['a direction of neither', base64url({ ...valid, d: 'sideways' })],
      ['no sort values', base64url({ ...valid, v: [] })],
      ['more than 8 sort values', base64url({ ...valid, v: Array(9).fill('x') })],
      ['a sort value that is not text', base64url({ ...valid, v: [1] })],
      ['a sort value over 1000 characters', base64url({ ...valid, v: ['x'.repeat(1001)] })],
      ['a sort over 200 characters', base64url({ ...valid, s: 'x'.repeat(201) })],
      ['a field of no cursor', base64url({ ...valid, extra: true })],
      ['a prototype key', base64url(JSON.parse(`{"__proto__":{"s":"x"},"d":"next","v":["x"],"id":"${id}"}`))],
    ];
    for (const [what, text] of garbage) assert.equal(decodeCursor(text), undefined, what);
  });
});
