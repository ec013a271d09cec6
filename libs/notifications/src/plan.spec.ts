import { loadConfig } from '@verdict/config';
import { Deliverer } from './deliverer';
import { eventFor } from './plan';

describe('when a rule sends', () => {
  it.each([
    ['always', 'completed', null, 'execution.completed'],
    ['always', 'failed', 'failed', 'execution.completed'],
    ['failure', 'completed', 'failed', null],
    ['failure', 'failed', null, 'execution.completed'],
    ['change', 'failed', 'completed', 'execution.broken'],
    ['change', 'completed', 'failed', 'execution.recovered'],
    ['change', 'failed', 'failed', null],
    ['change', 'completed', 'completed', null],
    ['change', 'failed', null, null], // no earlier run: nothing changed
    ['change', 'cancelled', 'completed', null],
  ] as const)('%s, now %s, before %s → %s', (when, status, previous, event) => {
    expect(eventFor({ when }, status, previous)).toBe(event);
  });
});

describe('retry schedule', () => {
  it('by default keeps trying for more than a minute of receiver downtime (8 attempts, doubling from 2 s)', () => {
    const { notifications } = loadConfig({});
    const d = new Deliverer(undefined as never, undefined as never, { backoffMs: notifications.backoffMs });
    const delays = Array.from({ length: notifications.maxAttempts - 1 }, (_, i) => d.backoff(i + 1));
    expect(delays).toEqual([2000, 4000, 8000, 16000, 32000, 64000, 128000]);
    expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThan(60_000);
    expect(
      new Deliverer(undefined as never, undefined as never, { backoffMs: 1000, maxBackoffMs: 5000 }).backoff(
        10,
      ),
    ).toBe(5000);
  });
});
