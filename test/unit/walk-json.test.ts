import assert from 'node:assert/strict';
import { walkJson, type JsonNode } from '../../src/api/walk-json';

/** Every node the walk visits, as `path@depth`. */
function visits(root: unknown, answer: (node: JsonNode) => boolean | 'stop' = () => true): string[] {
  const seen: string[] = [];
  walkJson(root, (node) => {
    seen.push(`${node.path.join('.')}@${node.depth}`);
    return answer(node);
  });
  return seen;
}

describe('walkJson', () => {
  const document = JSON.parse('{"a":[1,{"b":2}],"c":"x","d":{"e":null,"f":[]}}');

  it('visits every node depth-first in document order, the root at depth 1', () => {
    assert.deepEqual(visits(document), ['@1', 'a@2', 'a.0@3', 'a.1@3', 'a.1.b@4', 'c@2', 'd@2', 'd.e@3', 'd.f@3']);
  });

  it('hands each node its value, and array positions as numbers', () => {
    const nodes: JsonNode[] = [];
    walkJson(document, (node) => {
      nodes.push(node);
      return true;
    });
    assert.deepEqual(nodes[3], { value: { b: 2 }, path: ['a', 1], depth: 3 });
    assert.deepEqual(nodes[7], { value: null, path: ['d', 'e'], depth: 3 });
    assert.equal(typeof nodes[2]!.path[1], 'number');
  });

  it('visits a value that is not an object or array once, as the root', () => {
    for (const root of [5, 'text', null, true]) assert.deepEqual(visits(root), ['@1']);
  });

  it('skips the children of a node when told false, and goes on with its siblings', () => {
    assert.deepEqual(
      visits(document, (node) => node.path[0] !== 'a'),
      ['@1', 'a@2', 'c@2', 'd@2', 'd.e@3', 'd.f@3'],
    );
  });

  it("ends the walk at once when told 'stop'", () => {
    assert.deepEqual(
      visits(document, (node) => (node.path.join('.') === 'a.1' ? 'stop' : true)),
      ['@1', 'a@2', 'a.0@3', 'a.1@3'],
    );
  });

  it('walks input nested deeper than a recursive walk could go', () => {
    // Deeper than a recursive walk could go: Node's stack gives out at about 14,000 calls of even an empty function.
    const depth = 15_000;
    let root: unknown = 'bottom';
    for (let i = 0; i < depth; i++) root = [root];
    let deepest = 0;
    let count = 0;
    walkJson(root, (node) => {
      count++;
      deepest = Math.max(deepest, node.depth);
      return true;
    });
    assert.equal(count, depth + 1);
    assert.equal(deepest, depth + 1);
  });

  it('visits keys named like prototype members as the plain keys they are in parsed JSON', () => {
    assert.deepEqual(visits(JSON.parse('{"__proto__":{"x":1},"constructor":2}')), [
      '@1',
      '__proto__@2',
      '__proto__.x@3',
      'constructor@2',
    ]);
  });
});
