import assert from 'node:assert/strict';
import { EVENT_TYPES, isMachineEvent } from '../../src/events/event-types';

describe('isMachineEvent', () => {
  const machine = { bot: { machine: true } };

  it('is true for an open or a click that a machine made (data.bot.machine === true)', () => {
    assert.equal(isMachineEvent('message.opened', machine), true);
    assert.equal(
      isMachineEvent('message.clicked', { url: 'https://example.com', bot: { machine: true, name: 'x' } }),
      true,
    );
  });

  it('is false for an open or click by a person, or one that does not say exactly true', () => {
    for (const data of [
      {},
      { bot: { machine: false } },
      { bot: { machine: 'true' } },
      { bot: { machine: 1 } },
      { bot: {} },
      { bot: null },
      { bot: true },
      { machine: true },
      null,
      undefined,
      [],
      'bot',
    ]) {
      assert.equal(isMachineEvent('message.opened', data), false, JSON.stringify(data));
      assert.equal(isMachineEvent('message.clicked', data), false, JSON.stringify(data));
    }
  });

  it('is false for every other event type, even with bot.machine true: only opens and clicks can be a machine', () => {
    const others = EVENT_TYPES.filter((type) => type !== 'message.opened' && type !== 'message.clicked');
    assert.equal(others.length, EVENT_TYPES.length - 2);
    for (const type of others) assert.equal(isMachineEvent(type, machine), false, type);
    assert.equal(isMachineEvent('message.opened.later', machine), false);
  });
});
