import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeliveryResult } from '../../lib/cliq/deliver';
import type { VigilEvent } from '../../lib/event/model';
import { memoryCounters } from '../../lib/metrics';
import { toOutbound } from '../../lib/queue/message';
import type { Channel } from '../../lib/routing/schema';
import type { SenderDeps } from '../../lib/sender/deps';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { memoryStateStore } from '../../lib/state/memory-store';
import type { DeliveryRecord, StateStore } from '../../lib/state/store';
import { alertGroup, pullRequest, push, workflowRun } from '../helpers/conversation-events';
import { channelUrl, fakeCliq } from '../helpers/fake-cliq';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

let clock = Date.parse('2026-11-23T12:00:00.000Z');
const now = () => clock;

const setup = (
  options: {
    store?: StateStore | null;
    forbidThreads?: string[];
    omitIds?: string[];
    channels?: Record<string, Channel>;
    failures?: DeliveryResult[];
    digestAfter?: number;
    /** Another container's Cliq: the same channels and messages. */
    cliq?: ReturnType<typeof fakeCliq>;
    /** The default channel's Cliq URL (ZOHO_CLIQ_WEBHOOK_URL), else the `ops` channel's. */
    url?: string;
  } = {},
) => {
  const cliq =
    options.cliq ?? fakeCliq({ forbidThreads: options.forbidThreads ?? [], omitIds: options.omitIds ?? [] });
  const store = options.store === null ? undefined : (options.store ?? memoryStateStore(now));
  const failures = options.failures ?? [];
  const counters = memoryCounters();
  const deadLettered: string[] = [];
  const recorder = recordingLog();
  const deps: SenderDeps = {
    secrets: async () => ({
      ZOHO_CLIQ_WEBHOOK_URL: options.url ?? channelUrl('ops'),
      CLIQ_URL_DEV: channelUrl('dev'),
    }),
    previewWhenUnset: false,
    format: formatEvent,
    deliver: async (url, message) => failures.shift() ?? cliq.deliver(url, message),
    preview: () => undefined,
    deadLetter: async (record) => {
      deadLettered.push(record.messageId);
    },
    ...(options.channels === undefined ? {} : { channels: options.channels }),
    ...(store === undefined ? {} : { state: store }),
    ...(options.digestAfter === undefined ? {} : { digestAfter: options.digestAfter }),
    counters,
    now,
    log: recorder.log,
  };
  return { cliq, store, counters, deadLettered, handler: createSenderHandler(deps), deps, recorder };
};

let seq = 0;
const recordOf = (
  event: VigilEvent,
  channel = 'default',
  extra: { ci?: 'every' | 'changes' } = {},
): SQSRecord => sqsRecord(toOutbound(event, { channel, owner: 'cliq-a', ...extra }).body, `m${++seq}`);
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

const ledger = async (store: StateStore | undefined): Promise<DeliveryRecord[]> => {
  const out: DeliveryRecord[] = [];
  for await (const record of store?.listDeliveries({}) ?? []) out.push(record);
  return out;
};

describe('sender with conversations', () => {
  it('posts a pull request with sync_message, then replies in its thread; merged also shows in the channel', async () => {
    const { cliq, store, handler } = setup();
    for (const event of [
      pullRequest('p1', 7, 'opened'),
      pullRequest('p2', 7, 'reviewed'),
      pullRequest('p3', 7, 'merged'),
    ])
      await handler(batch(recordOf(event)));
    const [parent, reviewed, merged] = cliq.posts;
    expect(parent).toMatchObject({ thread: false, message: { sync_message: true } });
    expect(reviewed).toMatchObject({ thread: true, message: { thread_message_id: parent?.messageId } });
    expect(reviewed?.message.post_in_parent).toBeUndefined();
    expect(merged).toMatchObject({
      thread: true,
      message: { thread_message_id: parent?.messageId, post_in_parent: true },
    });
    const records = await ledger(store);
    expect(records.find((r) => r.eventId === 'p3')).toMatchObject({
      state: 'delivered',
      threadMessageId: parent?.messageId,
      subject: 'github:acme/app:pr:7',
      attempts: 1,
    });
  });

  it('posts a redelivered webhook once, even from another container (a new sender sharing the ledger)', async () => {
    const store = memoryStateStore(now);
    const first = setup({ store });
    await first.handler(batch(recordOf(push('same-delivery'))));
    const second = setup({ store });
    await second.handler(batch(recordOf(push('same-delivery'))));
    expect(first.cliq.posts).toHaveLength(1);
    expect(second.cliq.posts).toHaveLength(0);
  });

  it('without a state store, posts every event on its own as before (no sync_message, no threads)', async () => {
    const { cliq, handler } = setup({ store: null });
    await handler(batch(recordOf(pullRequest('p1', 7, 'opened'))));
    await handler(batch(recordOf(pullRequest('p2', 7, 'merged'))));
    expect(cliq.posts.map((p) => [p.thread, p.message.sync_message])).toEqual([
      [false, undefined],
      [false, undefined],
    ]);
  });

  it('CI: failure posts, failure replies "2nd", success replies "fixed" in the channel, success again posts nothing and is logged unchanged', async () => {
    const { cliq, store, handler, counters, recorder } = setup();
    const runs = [
      workflowRun('w1', 'failure', { runId: 1 }),
      workflowRun('w2', 'failure', { runId: 2 }),
      workflowRun('w3', 'success', { runId: 3 }),
      workflowRun('w4', 'success', { runId: 4 }),
    ];
    for (const event of runs) await handler(batch(recordOf(event)));
    expect(cliq.posts).toHaveLength(3);
    expect(cliq.posts[1]?.message.text).toMatch(/^\*Still failing \(2nd run in a row\)\*/);
    expect(cliq.posts[2]?.message).toMatchObject({
      post_in_parent: true,
      thread_message_id: cliq.posts[0]?.messageId,
    });
    expect(cliq.posts[2]?.message.text).toMatch(/^\*Fixed after 2 failed runs\*/);
    const unchanged = (await ledger(store)).find((r) => r.eventId === 'w4');
    expect(unchanged).toMatchObject({
      state: 'unchanged',
      reason: expect.stringMatching(/success after success/),
    });
    expect(counters.snapshot().unchanged).toEqual({ github: 1 });
    // operators read the logs: the run that posted nothing is not logged as delivered
    const delivered = recorder.lines.filter((line) => line.message === 'delivered');
    expect(delivered.map((line) => (line.extra[0] as { eventId: string }).eventId)).toEqual([
      'w1',
      'w2',
      'w3',
    ]);
  });

  it('a route asking `ci: every` posts each green run', async () => {
    const { cliq, handler } = setup();
    await handler(batch(recordOf(workflowRun('w1', 'success', { runId: 1 }), 'default', { ci: 'every' })));
    await handler(batch(recordOf(workflowRun('w2', 'success', { runId: 2 }), 'default', { ci: 'every' })));
    expect(cliq.posts.map((p) => p.thread)).toEqual([false, false]);
  });

  it('threads forbidden in a channel: the reply posts in the channel naming what it follows, and threads stay off there for 6 h', async () => {
    const { cliq, handler, recorder, counters } = setup({ forbidThreads: ['ops'] });
    await handler(batch(recordOf(pullRequest('p1', 7, 'opened'))));
    await handler(batch(recordOf(pullRequest('p2', 7, 'reviewed'))));
    await handler(batch(recordOf(pullRequest('p3', 7, 'closed'))));
    expect(cliq.posts.map((p) => p.thread)).toEqual([false, false, false]);
    // logged once as Cliq's refusal, with Cliq's answer and without the URL's key
    const refusals = recorder.lines.filter((line) => /refused the thread call/.test(line.message));
    expect(refusals).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'Cliq refused the thread call: posted in the channel instead; threads off there for a while',
        extra: [expect.objectContaining({ status: 400, code: 'operation_failed' })],
      }),
    ]);
    expect(recorder.text()).not.toMatch(/zapikey=(?!\[redacted\])/);
    expect(counters.snapshot().threads_refused).toEqual({ cliq: 1 });
    expect(cliq.posts[1]?.message.text).toMatch(
      /^↪ Follows up: \[alice opened #\u200B7: Faster builds\]\(https:\/\/github.com\/acme\/app\/pull\/7\)/,
    );
    expect(cliq.posts[1]?.message.thread_message_id).toBeUndefined();
    // the third went straight to the channel: one refused thread call, not two
    clock += 7 * 3600 * 1000;
    await handler(batch(recordOf(pullRequest('p4', 7, 'reopened'))));
    expect(cliq.posts).toHaveLength(4);
  });

  it('a channel whose URL now points at another Cliq channel starts its subjects over there, threads on', async () => {
    const store = memoryStateStore(now);
    const cliq = fakeCliq();
    const before = setup({ store, cliq });
    await before.handler(batch(recordOf(pullRequest('p1', 7, 'opened'))));
    // the key rotated: same channel, the thread goes on
    const rotated = setup({ store, cliq, url: channelUrl('ops', 'new-token') });
    await rotated.handler(batch(recordOf(pullRequest('p2', 7, 'reviewed'))));
    // pointed at another channel: the old parent is no message there
    const moved = setup({ store, cliq, url: channelUrl('platform') });
    await moved.handler(batch(recordOf(pullRequest('p3', 7, 'reviewed'))));
    await moved.handler(batch(recordOf(pullRequest('p4', 7, 'merged'))));
    const [opened, reviewed, firstThere, merged] = cliq.posts;
    expect(reviewed).toMatchObject({
      channel: 'ops',
      thread: true,
      message: { thread_message_id: opened?.messageId },
    });
    expect(firstThere).toMatchObject({ channel: 'platform', thread: false, message: { sync_message: true } });
    expect(firstThere?.message.text).toMatch(/^↪ Follows up: \[alice opened #\u200B7: Faster builds\]/);
    expect(merged).toMatchObject({
      channel: 'platform',
      thread: true,
      message: { thread_message_id: firstThere?.messageId, post_in_parent: true },
    });
    // no thread call was refused, so threads were never turned off
    expect(moved.recorder.lines.some((line) => /refused the thread call/.test(line.message))).toBe(false);
  });

  it('a channel URL rewritten with a trailing slash is the same Cliq channel: the thread goes on', async () => {
    const store = memoryStateStore(now);
    const cliq = fakeCliq();
    const before = setup({ store, cliq });
    await before.handler(batch(recordOf(pullRequest('s1', 8, 'opened'))));
    // `/message/` and `/message` name one channel (lib/cliq/thread.ts sends both to the same thread call)
    const slashed = setup({ store, cliq, url: channelUrl('ops').replace('/message?', '/message/?') });
    await slashed.handler(batch(recordOf(pullRequest('s2', 8, 'reviewed'))));
    const [opened, reviewed] = cliq.posts;
    expect(reviewed).toMatchObject({
      channel: 'ops',
      thread: true,
      message: { thread_message_id: opened?.messageId },
    });
  });

  it('threads turned off by a Cliq channel that refused them come back at once when the URL points at another channel', async () => {
    const store = memoryStateStore(now);
    const cliq = fakeCliq({ forbidThreads: ['ops'] });
    const before = setup({ store, cliq });
    await before.handler(batch(recordOf(pullRequest('p1', 7, 'opened'))));
    await before.handler(batch(recordOf(pullRequest('p2', 7, 'reviewed'))));
    expect(cliq.posts.map((p) => p.thread)).toEqual([false, false]);
    const moved = setup({ store, cliq, url: channelUrl('platform') });
    await moved.handler(batch(recordOf(pullRequest('q1', 8, 'opened'))));
    await moved.handler(batch(recordOf(pullRequest('q2', 8, 'reviewed'))));
    expect(cliq.posts.slice(2).map((p) => [p.channel, p.thread])).toEqual([
      ['platform', false],
      ['platform', true],
    ]);
  });

  it('a Cliq URL with no thread call (a bot’s): replies post in the channel, logged as the URL’s limit, not as Cliq refusing', async () => {
    const url = 'https://cliq.zoho.com/api/v2/bots/vigil/message?zapikey=TOPSECRET';
    const { cliq, handler, recorder, counters } = setup({ url });
    await handler(batch(recordOf(pullRequest('b1', 9, 'opened'))));
    await handler(batch(recordOf(pullRequest('b2', 9, 'reviewed'))));
    expect(cliq.posts.map((p) => p.thread)).toEqual([false, false]);
    expect(cliq.posts[1]?.message.text).toMatch(/^↪ Follows up: /);
    const messages = recorder.lines.map((line) => line.message);
    expect(messages).toContain(
      'the Cliq URL is not a channel URL (/api/v2/channelsbyname/NAME/message): Cliq threads need a channel: posted in the channel instead; threads off there for a while',
    );
    expect(messages.some((message) => /refused the thread call/.test(message))).toBe(false);
    expect(JSON.stringify(recorder.lines)).not.toContain('TOPSECRET');
    expect(counters.snapshot().threads_refused).toEqual({ cliq: 1 });
  });

  it('a channel with `threads: false` never makes a thread call', async () => {
    const { cliq, handler } = setup({ channels: { default: { threads: false } } });
    await handler(batch(recordOf(alertGroup('a1', 'firing', 1, 0))));
    await handler(batch(recordOf(alertGroup('a2', 'resolved', 0, 1))));
    expect(cliq.posts.map((p) => p.thread)).toEqual([false, false]);
    expect(cliq.posts[1]?.message.text).toMatch(/^↪ Follows up:/);
  });

  it('a Cliq that gives no message id: the subject has no thread, later events post with the follow-up line', async () => {
    const { cliq, handler } = setup({ omitIds: ['ops'] });
    await handler(batch(recordOf(pullRequest('p1', 7, 'opened'))));
    await handler(batch(recordOf(pullRequest('p2', 7, 'merged'))));
    expect(cliq.posts.map((p) => p.thread)).toEqual([false, false]);
    expect(cliq.posts[1]?.message.text).toMatch(/^↪ Follows up:/);
  });

  it('a digest retried in another container posts nothing twice', async () => {
    const store = memoryStateStore(now);
    const events = Array.from({ length: 20 }, (_, i) => push(`d${i}`));
    const records = events.map((event) => recordOf(event));
    const transient: DeliveryResult = {
      ok: false,
      transient: true,
      throttled: false,
      status: 503,
      message: 'busy',
    };
    // the first card goes out, the second fails: the whole group is retried elsewhere
    const first = setup({ store, digestAfter: 2 });
    const firstHandler = createSenderHandler({
      ...first.deps,
      deliver: async (url, message) =>
        first.cliq.posts.length >= 1 ? transient : first.cliq.deliver(url, message),
    });
    const response = await firstHandler(batch(...records));
    expect(response.batchItemFailures.length).toBeGreaterThan(0);
    const second = setup({ store, digestAfter: 2 });
    await second.handler(batch(...records));
    const posted = [...first.cliq.posts, ...second.cliq.posts].flatMap(
      (p) => p.message.text.match(/d\d+/g) ?? [],
    );
    expect(new Set(posted).size).toBe(posted.length);
    const all = await ledger(store);
    expect(all.filter((r) => r.state === 'digested')).toHaveLength(20);
  });

  it('a storm of replies to one subject in a digest becomes one reply in its thread', async () => {
    const { cliq, handler } = setup({ digestAfter: 2 });
    await handler(batch(recordOf(pullRequest('p0', 7, 'opened'))));
    await handler(batch(...['a', 'b', 'c', 'd'].map((id) => recordOf(pullRequest(id, 7, 'synchronize')))));
    expect(cliq.posts).toHaveLength(2);
    expect(cliq.posts[1]).toMatchObject({
      thread: true,
      message: { thread_message_id: cliq.posts[0]?.messageId },
    });
    expect(cliq.posts[1]?.message.text).toMatch(/4 events/);
  });

  it('a digested first event still moves state: the later "fixed" knows the workflow was failing', async () => {
    const { cliq, handler } = setup({ digestAfter: 2 });
    await handler(
      batch(recordOf(workflowRun('w1', 'failure', { runId: 1 })), recordOf(push('x1')), recordOf(push('x2'))),
    );
    await handler(batch(recordOf(workflowRun('w2', 'success', { runId: 2 }))));
    expect(cliq.posts).toHaveLength(2);
    expect(cliq.posts[1]?.message.text).toMatch(/Fixed after 1 failed run/);
    expect(cliq.posts[1]?.message.text).toMatch(/↪ Follows up:/);
  });

  it('records a dead-lettered event in the ledger with its reason, and a redriven copy may still be delivered', async () => {
    const refused: DeliveryResult = {
      ok: false,
      transient: false,
      throttled: false,
      status: 403,
      code: 'forbidden',
      message: 'no permission',
    };
    const store = memoryStateStore(now);
    const first = setup({ store, failures: [refused] });
    await first.handler(batch(recordOf(push('dl1'))));
    expect((await store.getDelivery('default', 'dl1'))?.state).toBe('dead_lettered');
    expect((await store.getDelivery('default', 'dl1'))?.reason).toMatch(/cliq_rejected: no permission/);
    const redriven = setup({ store });
    await redriven.handler(batch(recordOf(push('dl1'))));
    expect(redriven.cliq.posts).toHaveLength(1);
    expect((await store.getDelivery('default', 'dl1'))?.state).toBe('delivered');
  });

  it("replies to an Alertmanager reminder (repeat_interval: the same state hours later) in the group's thread, and still posts a retried message once", async () => {
    const store = memoryStateStore(now);
    const first = setup({ store });
    const firing = alertGroup('am-state', 'firing', 1, 0);
    const original = recordOf(firing);
    await first.handler(batch(original));
    // the same queued message again, in another container (a retry after a lost answer): posted once
    await setup({ store, cliq: first.cliq }).handler(batch(original));
    expect(first.cliq.posts).toHaveLength(1);
    // four hours later Alertmanager sends the same state again: the same event id, a new receipt
    const again = setup({ store, cliq: first.cliq });
    await again.handler(
      batch(
        recordOf({
          ...firing,
          receivedAt: new Date(Date.parse(firing.receivedAt) + 4 * 3600_000).toISOString(),
        }),
      ),
    );
    expect(first.cliq.posts).toHaveLength(2);
    expect(first.cliq.posts[1]).toMatchObject({
      thread: true,
      message: { thread_message_id: first.cliq.posts[0]?.messageId },
    });
  });
  it('CI: a branch green every day for 400 days posts once, and its state is written back only as it ages', async () => {
    clock = Date.parse('2026-01-01T06:00:00.000Z');
    const memory = memoryStateStore(now);
    let writes = 0;
    const store: StateStore = {
      ...memory,
      putConversation: async (...args) => {
        writes += 1;
        return memory.putConversation(...args);
      },
    };
    const { cliq, handler } = setup({ store });
    for (let day = 0; day < 400; day += 1) {
      await handler(batch(recordOf(workflowRun(`g${day}`, 'success', { runId: day }))));
      clock += 24 * 3600 * 1000;
    }
    expect(cliq.posts).toHaveLength(1);
    // the first run writes its conversation and run; after that one write-back about every 45 days
    expect(writes).toBeGreaterThan(2);
    expect(writes).toBeLessThanOrEqual(400 / 30);
    clock = Date.parse('2026-11-23T12:00:00.000Z');
  });
});
