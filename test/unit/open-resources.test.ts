import assert from 'node:assert/strict';
import { OpenResources } from '../support/system/open-resources';

// Plain objects stand in for servers: the tracker only holds references, so nothing here is ever open.
describe('open resources (the per-file leak check)', () => {
  it('passes a file that closed everything it opened', () => {
    const resources = new OpenResources();
    const close = resources.track({}, 'receiver at http://127.0.0.1:1/hook');
    close();
    assert.doesNotThrow(() => resources.check('test/integration/a.test.ts'));
  });

  it('fails the file that left something open, naming the file and each thing it left', () => {
    const resources = new OpenResources();
    resources.track({}, 'test system (time-skipping) at http://127.0.0.1:1');
    resources.track({}, 'worker process 42');
    resources.track({}, 'closed in time')();
    assert.throws(() => resources.check('test/integration/a.test.ts'), {
      message:
        'test/integration/a.test.ts left these running: test system (time-skipping) at http://127.0.0.1:1; worker process 42',
    });
  });

  it('reports a leak once: the next file is checked only for what it left itself', () => {
    const resources = new OpenResources();
    resources.track({}, 'leaked by a');
    assert.throws(() => resources.check('a.test.ts'), { message: 'a.test.ts left these running: leaked by a' });
    const closeB = resources.track({}, 'opened and closed by b');
    closeB();
    assert.doesNotThrow(() => resources.check('b.test.ts'));
    resources.track({}, 'leaked by c');
    assert.throws(() => resources.check('c.test.ts'), { message: 'c.test.ts left these running: leaked by c' });
  });

  it('counts a resource closed after its leak was reported as closed', () => {
    const resources = new OpenResources();
    const server = {};
    const close = resources.track(server, 'late server');
    assert.throws(() => resources.check('a.test.ts'));
    close();
    // Tracked again under the same object (a restarted server): a fresh resource, blamed on the file that opens it.
    resources.track(server, 'late server, again');
    assert.throws(() => resources.check('b.test.ts'), { message: 'b.test.ts left these running: late server, again' });
  });
});
