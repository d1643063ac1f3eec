import type { OutboxEntry, OutboxHead } from '../../lib/outbox/entry';
import { emptyHead } from '../../lib/outbox/entry';
import { loadOutbox, saveOutbox } from '../../lib/outbox/outbox';
import { describeWaiting, EVENTS_SHOWN, readWaiting } from '../../lib/outbox/waiting';
import { memoryOutboxStore } from '../../lib/state/outbox-store';

const AT = Date.parse('2026-12-07T12:00:00Z');
const URL = 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=1001.T';

const entry = (seq: number, channel: string, extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  seq,
  messageId: `m-${seq}`,
  body: JSON.stringify({
    v: 1,
    channel,
    event: { source: 'github', kind: 'github.issues.opened', title: `Issue ${seq}`, url: URL },
  }),
  arrivedAt: AT - 60_000,
  attempts: 0,
  ...extra,
});

const head = (extra: Partial<OutboxHead> = {}): OutboxHead => ({ ...emptyHead(), ...extra });

describe('describeWaiting', () => {
  it('says a held channel waits for its window, naming the window and its end, and lists its events', () => {
    const until = AT + 3_600_000;
    const seen = describeWaiting(
      'cliq-a',
      head(),
      [1, 2].map((n) => entry(n, 'ops', { notBefore: until, held: 'quiet-hours until 13:00 UTC' })),
      AT,
    );
    expect(seen).toMatchObject({
      owner: 'cliq-a',
      waiting: 2,
      kind: 'held',
      reason: 'quiet-hours until 13:00 UTC',
      dueAt: '2026-12-07T13:00:00.000Z',
      channels: [
        {
          channel: 'ops',
          waiting: 2,
          events: [
            { source: 'github', title: 'Issue 1', eventKind: 'github.issues.opened' },
            { source: 'github', title: 'Issue 2' },
          ],
        },
      ],
    });
  });

  it('reports Cliq’s lock when it ends after a hold, the backoff when it is the last, and the next slot when nothing holds', () => {
    const held = entry(1, 'ops', { notBefore: AT + 60_000, held: 'hourly digest' });
    expect(describeWaiting('o', head({ lockedUntil: AT + 600_000 }), [held], AT)).toMatchObject({
      kind: 'lock',
      dueAt: new Date(AT + 600_000).toISOString(),
    });
    // the pacer's lock, known only in memory, counts as well
    expect(describeWaiting('o', head(), [held], AT, AT + 120_000)).toMatchObject({ kind: 'lock' });
    expect(describeWaiting('o', head({ retryAt: AT + 5000 }), [entry(2, 'ops')], AT)).toMatchObject({
      kind: 'backoff',
      reason: 'backoff after a failed post',
    });
    expect(describeWaiting('o', head({ retryAt: AT - 5000 }), [entry(3, 'ops')], AT)).toMatchObject({
      kind: 'budget',
      dueAt: new Date(AT).toISOString(),
    });
  });

  it('gives the owner the wait of the channel that goes first, and each channel its own', () => {
    const seen = describeWaiting(
      'o',
      head(),
      [
        entry(1, 'ops', { notBefore: AT + 7_200_000, held: 'daily digest at 09:00 UTC' }),
        entry(2, 'backend', { notBefore: AT + 60_000, held: 'hourly digest' }),
      ],
      AT,
    );
    expect(seen?.reason).toBe('hourly digest');
    expect(seen?.channels.map((c) => [c.channel, c.reason])).toEqual([
      ['backend', 'hourly digest'],
      ['ops', 'daily digest at 09:00 UTC'],
    ]);
  });

  it(`counts every waiting event but lists at most ${EVENTS_SHOWN} per channel, and never a URL's key`, () => {
    const many = Array.from({ length: 50 }, (_, n) => entry(n + 1, 'ops'));
    const seen = describeWaiting('o', head(), many, AT);
    expect(seen?.waiting).toBe(50);
    expect(seen?.channels[0]?.events).toHaveLength(EVENTS_SHOWN);
    expect(JSON.stringify(seen)).not.toContain('zapikey');
  });

  it('is nothing for an empty outbox', () => {
    expect(describeWaiting('o', head(), [], AT)).toBeUndefined();
  });
});

describe('readWaiting', () => {
  it('reads every owner the tick’s index lists, and drops one once its outbox is empty', async () => {
    const store = memoryOutboxStore();
    const box = await loadOutbox(store, 'cliq-b');
    const saved = await saveOutbox(store, 'cliq-b', box, { v: 1, nextSeq: 3 }, [
      entry(1, 'ops'),
      entry(2, 'ops'),
    ]);
    expect((await readWaiting(store, AT)).map((o) => [o.owner, o.waiting])).toEqual([['cliq-b', 2]]);
    await saveOutbox(store, 'cliq-b', saved, { v: 1, nextSeq: 3 }, []);
    expect(await readWaiting(store, AT)).toEqual([]);
  });

  it('reports an owner whose outbox cannot be read now from the index alone, and still reads the others', async () => {
    const store = memoryOutboxStore();
    for (const owner of ['cliq-a', 'cliq-b'])
      await saveOutbox(store, owner, await loadOutbox(store, owner), { v: 1, nextSeq: 2 }, [entry(1, 'ops')]);
    const failing = {
      ...store,
      readOutbox: async (owner: string) => {
        if (owner === 'cliq-a') throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
        return store.readOutbox(owner);
      },
    };
    expect(await readWaiting(failing, AT)).toEqual([
      {
        owner: 'cliq-a',
        waiting: 1,
        kind: 'unread',
        reason: 'the outbox could not be read just now (ThrottlingException)',
        dueAt: new Date(AT).toISOString(),
        channels: [],
      },
      expect.objectContaining({ owner: 'cliq-b', waiting: 1, kind: 'budget' }),
    ]);
  });
});
