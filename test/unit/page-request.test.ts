import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Cursor } from '../../src/api/cursor';
import { toPageRequest, type SortableColumns } from '../../src/api/page-request';
import type { PageParams } from '../../src/api/schemas/page-schemas';
import { ValidationError } from '../../src/errors/validation-error';

const COLUMNS: SortableColumns = {
  created_at: { column: 'w.created_at', kind: 'timestamp' },
  name: { column: 'w.name', kind: 'text' },
  attempts: { column: 'd.attempts_count', kind: 'integer' },
  webhook_id: { column: 'd.webhook_id', kind: 'uuid' },
};

const id = randomUUID();
const cursor = (sort: string, values: string[], direction: 'next' | 'prev' = 'next'): Cursor => ({
  sort,
  direction,
  position: { values, id },
});

/**
 * Parsed query parameters. toPageRequest reads any sort text (keys, `-`, commas); the list schemas let only
 * their own keys through, hence the cast.
 */
const params = (sort: string, page: PageParams['page']) => ({ page, sort }) as PageParams;

/** Asserts that `fn` throws the 422 that names one field with one message. */
function assertRefused(fn: () => unknown, field: string, message: string, what?: string): void {
  assert.throws(
    fn,
    (err: unknown) => {
      assert.ok(err instanceof ValidationError, `${what ?? ''}: not a ValidationError`);
      assert.deepEqual(err.errors, { [field]: [message] }, what);
      assert.equal(err.message, message, what);
      return true;
    },
    what,
  );
}

describe('toPageRequest', () => {
  it('turns the sort into columns, in order, `-` meaning descending', () => {
    assert.deepEqual(toPageRequest(params('-created_at', { size: 30 }), COLUMNS), {
      size: 30,
      sort: [{ column: 'w.created_at', kind: 'timestamp', descending: true }],
    });
    assert.deepEqual(toPageRequest(params('name,-attempts,created_at', { size: 5 }), COLUMNS), {
      size: 5,
      sort: [
        { column: 'w.name', kind: 'text', descending: false },
        { column: 'd.attempts_count', kind: 'integer', descending: true },
        { column: 'w.created_at', kind: 'timestamp', descending: false },
      ],
    });
  });

  it('refuses a sort key the list does not have, naming sort', () => {
    for (const sort of ['colour', '-colour', 'name,colour', '--name', '']) {
      assertRefused(
        () => toPageRequest(params(sort, { size: 30 }), COLUMNS),
        'sort',
        'The selected sort is invalid.',
        sort,
      );
    }
  });

  it('starts the page at the cursor, in its direction, when the cursor was made for this sort', () => {
    const at = cursor('name,-created_at', ['Billing', '2026-01-02T03:04:05.678901Z'], 'prev');
    assert.deepEqual(toPageRequest(params('name,-created_at', { size: 10, cursor: at }), COLUMNS), {
      size: 10,
      sort: [
        { column: 'w.name', kind: 'text', descending: false },
        { column: 'w.created_at', kind: 'timestamp', descending: true },
      ],
      from: { position: at.position, direction: 'prev' },
    });
  });

  it('refuses a cursor made for another sort, naming page.cursor and the sort it was made for', () => {
    const cases: Array<[what: string, sort: string, at: Cursor]> = [
      ['another sort', 'created_at', cursor('-created_at', ['2026-01-02T03:04:05.678901Z'])],
      [
        'the same keys in another order',
        'name,created_at',
        cursor('created_at,name', ['x', '2026-01-02T03:04:05.678901Z']),
      ],
    ];
    for (const [what, sort, at] of cases) {
      assertRefused(
        () => toPageRequest(params(sort, { size: 30, cursor: at }), COLUMNS),
        'page.cursor',
        `The page.cursor was made for sort=${at.sort}; send that sort with it, or start again without a cursor.`,
        what,
      );
    }
  });

  it('names the bare cursor parameter when the cursor came in it', () => {
    const at = cursor('-created_at', ['2026-01-02T03:04:05.678901Z']);
    assertRefused(
      () => toPageRequest({ ...params('created_at', { size: 30, cursor: at }), cursorField: 'cursor' }, COLUMNS),
      'cursor',
      'The cursor was made for sort=-created_at; send that sort with it, or start again without a cursor.',
    );
    assertRefused(
      () =>
        toPageRequest(
          { ...params('-created_at', { size: 30, cursor: cursor('-created_at', ['x']) }), cursorField: 'cursor' },
          COLUMNS,
        ),
      'cursor',
      'The cursor is invalid.',
    );
  });

  it('refuses a cursor with another number of values than its sort has, naming page.cursor', () => {
    const cases: Array<[what: string, sort: string, at: Cursor]> = [
      ['too few values', 'name,-created_at', cursor('name,-created_at', ['Billing'])],
      ['too many values', '-created_at', cursor('-created_at', ['2026-01-02T03:04:05.678901Z', 'x'])],
    ];
    for (const [what, sort, at] of cases) {
      assertRefused(
        () => toPageRequest(params(sort, { size: 30, cursor: at }), COLUMNS),
        'page.cursor',
        'The page.cursor is invalid.',
        what,
      );
    }
  });

  it("checks each cursor value against its column's kind", () => {
    const fits = (key: string, value: string) => {
      try {
        toPageRequest(params(key, { size: 30, cursor: cursor(key, [value]) }), COLUMNS);
        return true;
      } catch (err) {
        assert.ok(err instanceof ValidationError);
        assert.deepEqual(err.errors, { 'page.cursor': ['The page.cursor is invalid.'] });
        return false;
      }
    };
    const table: Array<[key: string, value: string, valid: boolean]> = [
      ['created_at', '2026-01-02T03:04:05.678901Z', true],
      ['created_at', '2024-02-29T23:59:59.999999Z', true],
      ['created_at', '1970-01-01T00:00:00.000000Z', true],
      ['created_at', '2026-01-02T03:04:05.678Z', false], // milliseconds: the cursor would skip rows
      ['created_at', '2026-01-02T03:04:05Z', false],
      ['created_at', '2026-01-02 03:04:05.678901Z', false],
      ['created_at', '2026-01-02T03:04:05.678901+00:00', false],
      ['attempts', '12', true],
      ['attempts', '-3', true],
      ['attempts', '1.5', false],
      ['attempts', '12345678901', false],
      ['attempts', '', false],
      ['webhook_id', id, true],
      ['webhook_id', id.toUpperCase(), true],
      ['webhook_id', id.slice(1), false],
      ['name', 'anything at all, even 100% or ü', true],
      ['name', '', true],
      ['name', 'nul\u0000inside', false], // Postgres text cannot hold NUL
    ];
    for (const [key, value, valid] of table) assert.equal(fits(key, value), valid, `${key} = ${JSON.stringify(value)}`);
  });

  it('refuses well-formed timestamps that are no real instant, which Postgres would reject', () => {
    for (const impossible of [
      '2026-02-30T00:00:00.000000Z',
      '2025-02-29T00:00:00.000000Z',
      '2026-13-01T00:00:00.000000Z',
      '2026-01-01T24:00:00.000000Z',
      '2026-01-01T00:60:00.000000Z',
      '0000-01-01T00:00:00.000000Z',
      '1969-12-31T23:59:59.999999Z',
    ]) {
      assertRefused(
        () => toPageRequest(params('-created_at', { size: 30, cursor: cursor('-created_at', [impossible]) }), COLUMNS),
        'page.cursor',
        'The page.cursor is invalid.',
        impossible,
      );
    }
  });
});
