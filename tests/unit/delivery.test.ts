import fc from 'fast-check';
import { backoffSeconds, minimumSurvivalSeconds } from '../../lib/delivery/backoff';
import { Pacer } from '../../lib/delivery/pacer';

describe('backoffSeconds', () => {
  it('doubles from the base to the cap, with equal jitter', () => {
    const low = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffSeconds(n, 10, 900, () => 0));
    const high = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffSeconds(n, 10, 900, () => 1));
    expect(high).toEqual([10, 20, 40, 80, 160, 320, 640, 900, 900]);
    expect(low).toEqual([5, 10, 20, 40, 80, 160, 320, 450, 450]);
  });

  it('always stays within SQS’s 1..43200 seconds and the configured cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 43_200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (count, base, max, r) => {
          const delay = backoffSeconds(count, base, max, () => r);
          return delay >= 1 && delay <= Math.max(1, max) && delay <= 43_200;
        },
      ),
    );
  });

  it('survives a one-hour Cliq outage before the DLQ with the shipped settings (25 receives, 10 s → 15 min)', () => {
    expect(minimumSurvivalSeconds(25, 10, 900)).toBeGreaterThan(3600);
  });
});

describe('Pacer', () => {
  /** A fake clock: sleeping advances time, so a run is instant and exact. */
  const fakeTime = () => {
    let now = 0;
    return {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
      advance: (ms: number) => {
        now += ms;
      },
    };
  };

  it('never lets a 60 s window hold more than the budget of posts for an owner, whatever the arrivals and containers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.array(
          fc.record({
            gapMs: fc.integer({ min: 0, max: 20_000 }),
            owners: fc.array(fc.constantFrom('owner-a', 'owner-b', 'owner-c'), {
              minLength: 1,
              maxLength: 10,
            }),
            freshContainer: fc.boolean(),
            workMs: fc.integer({ min: 0, max: 500 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (budget, batches) => {
          const time = fakeTime();
          const posts = new Map<string, number[]>();
          let pacer = new Pacer(budget, time.now, time.sleep);
          for (const batch of batches) {
            time.advance(batch.gapMs);
            if (batch.freshContainer) pacer = new Pacer(budget, time.now, time.sleep);
            for (const owner of batch.owners) {
              await pacer.beforePost(owner);
              posts.set(owner, [...(posts.get(owner) ?? []), time.now()]);
              time.advance(batch.workMs);
            }
            await pacer.settle();
          }
          for (const times of posts.values()) {
            for (const start of times) {
              const inWindow = times.filter((t) => t >= start && t < start + 60_000).length;
              if (inWindow > budget) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('spaces posts by 60/budget seconds and settles a batch one spacing after its last post', async () => {
    const time = fakeTime();
    const pacer = new Pacer(20, time.now, time.sleep);
    await pacer.beforePost('a');
    await pacer.beforePost('a');
    expect(time.now()).toBe(3000);
    await pacer.settle();
    expect(time.now()).toBe(6000);
  });

  it('holds an owner during its lock and lets it go after', () => {
    const time = fakeTime();
    const pacer = new Pacer(20, time.now, time.sleep);
    pacer.lock('a', 600);
    expect(pacer.lockedFor('a')).toBe(600);
    expect(pacer.lockedFor('b')).toBe(0);
    time.advance(599_500);
    expect(pacer.locks()).toEqual({ a: 1 });
    time.advance(500);
    expect(pacer.lockedFor('a')).toBe(0);
  });
});
