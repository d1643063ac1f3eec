import type { DeadLetter } from '../../tools/dlq/dead-letters';
import { cacheDeadLetters, LISTING_SECONDS } from '../../tools/local/console/dead-letter-cache';

const letter = (id: string): DeadLetter => ({
  id,
  reason: 'cliq_rejected',
  kind: 'github.push',
  source: 'github',
  channel: 'ops',
  ageSeconds: 1,
  body: '{}',
  groupId: 'ops',
});

describe('cacheDeadLetters', () => {
  let clock = 0;
  let readings = 0;
  const reader = (ids: string[][]) => async () => {
    readings += 1;
    return (ids[readings - 1] ?? []).map(letter);
  };
  beforeEach(() => {
    clock = 0;
    readings = 0;
  });

  it('answers the list and a letter’s details close together from one reading of the DLQ', async () => {
    const cache = cacheDeadLetters(reader([['a', 'b']]), () => clock);
    expect((await cache.letters()).map((l) => l.id)).toEqual(['a', 'b']);
    clock += 1000;
    expect((await cache.letters()).map((l) => l.id)).toEqual(['a', 'b']);
    expect(readings).toBe(1);
  });

  it('shares one reading among requests that come while it is under way', async () => {
    const cache = cacheDeadLetters(reader([['a']]), () => clock);
    const all = await Promise.all([cache.letters(), cache.letters(), cache.letters()]);
    expect(all.map((letters) => letters.length)).toEqual([1, 1, 1]);
    expect(readings).toBe(1);
  });

  it('reads the DLQ again once the listing time has passed', async () => {
    const cache = cacheDeadLetters(reader([['a'], ['a', 'c']]), () => clock);
    await cache.letters();
    clock += LISTING_SECONDS * 1000;
    expect((await cache.letters()).map((l) => l.id)).toEqual(['a', 'c']);
    expect(readings).toBe(2);
  });

  it('reads the DLQ again after a change it is told of', async () => {
    const cache = cacheDeadLetters(reader([['a'], []]), () => clock);
    await cache.letters();
    cache.forget();
    expect(await cache.letters()).toEqual([]);
  });

  it('does not keep a reading that failed', async () => {
    let fail = true;
    const cache = cacheDeadLetters(
      async () => {
        readings += 1;
        if (fail) throw new Error('SQS unreachable');
        return [letter('a')];
      },
      () => clock,
    );
    await expect(cache.letters()).rejects.toThrow('SQS unreachable');
    fail = false;
    expect((await cache.letters()).map((l) => l.id)).toEqual(['a']);
  });
});
