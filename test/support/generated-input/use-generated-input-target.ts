import { useTestSystem } from '../system/use-test-system';
import { GeneratedInputTarget } from './generated-requests';

/**
 * The hooks of a generated-input test file (call it inside its `describe`): a test system of the file's own, the
 * target prepared on it, and the tally of what was sent printed at the end.
 */
export function useGeneratedInputTarget(): GeneratedInputTarget {
  const ctx = useTestSystem({ temporal: 'time-skipping' });
  const target = new GeneratedInputTarget(() => ctx.system);
  before(() => target.prepare());
  after(() => {
    if (target.operations.length > 0) console.log(`      ${target.summary()}`);
  });
  return target;
}
