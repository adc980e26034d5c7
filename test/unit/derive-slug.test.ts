import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deriveSlug } from '../../src/api/derive-slug';
import { routeCreateSchema } from '../../src/api/schemas/route-schemas';

/** The rule the API holds a slug a client sends to. */
const acceptedSlug = (slug: string) => routeCreateSchema.shape.slug.safeParse(slug).success;

describe('deriveSlug', () => {
  it('lowercases, drops accents and joins the words with single dashes', () => {
    assert.equal(deriveSlug('Transactional (EU) – Ünïcode'), 'transactional-eu-unicode');
    assert.equal(deriveSlug('  --Hello,   World!!  '), 'hello-world');
    assert.equal(deriveSlug('Route 66'), 'route-66');
    assert.equal(deriveSlug('Crème brûlée'), 'creme-brulee');
  });

  it('spells compatibility characters out (ligatures, Roman numerals, full-width letters)', () => {
    assert.equal(deriveSlug('ﬁle'), 'file');
    assert.equal(deriveSlug('Chapter Ⅻ'), 'chapter-xii');
    assert.equal(deriveSlug('ＡＢＣ'), 'abc');
  });

  it('answers "route" for a name without a letter or digit it can keep', () => {
    for (const name of ['', '   ', '!!!', '– —', '日本語', '🌊']) assert.equal(deriveSlug(name), 'route', name);
  });

  it('keeps at most 255 characters, and no dash at the end where it cuts', () => {
    assert.equal(deriveSlug('a'.repeat(300)), 'a'.repeat(255));
    assert.equal(deriveSlug(`${'a'.repeat(254)} b`), 'a'.repeat(254));
  });

  it('always answers a slug the API would accept from a client', () => {
    assert.equal(acceptedSlug('Not A Slug'), false, 'the rule refuses something');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (name) => {
        const slug = deriveSlug(name);
        return acceptedSlug(slug) && slug.length <= 255;
      }),
      { seed: 20260101, numRuns: 500 },
    );
  });
});
