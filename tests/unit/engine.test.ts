import type { SQSRecord } from 'aws-lambda';
import type { CliqMessage } from '../../lib/cliq/message';
import { Pacer } from '../../lib/delivery/pacer';
import type { VigilEvent } from '../../lib/event/model';
import { loadOutbox } from '../../lib/outbox/outbox';
import { runTicks } from '../../lib/outbox/ticker';
import { toOutbound } from '../../lib/queue/message';
import { tickBody } from '../../lib/queue/tick';
import { createEngineHandler } from '../../lib/sender/engine';
import { formatEvent } from '../../lib/sources/events';
import { memoryStateStore } from '../../lib/state/memory-store';
import { memoryOutboxStore } from '../../lib/state/outbox-store';
import { alertGroup, workflowRun } from '../helpers/conversation-events';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

const OWNER = 'cliq-a';
const URL = 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=1001.T';

/** One alert group per instance, firing. */
const instanceAlert = (n: number): VigilEvent => {
  const event = alertGroup(`am-${n}`, 'firing', 1, 0, `{}:{instance="node${n}"}`);
  return {
    ...event,
    facts: {
      ...(event.facts as object),
      alerts: [{ status: 'firing', name: 'HighLatency', instance: `node${String(n).padStart(3, '0')}` }],
    },
  } as VigilEvent;
};

const failingRun = (n: number): VigilEvent => {
  const event = workflowRun(`run-${n}`, 'failure', {
    repo: `acme/repo-${n % 50}`,
    runId: 9000 + n,
    checkSuiteId: 19000 + n,
    headSha: `sha${n}`,
  });
  return { ...event, facts: { ...(event.facts as object), runNumber: 500 + n } } as VigilEvent;
};

/** An SQS FIFO queue of one group, as the event source hands it to the sender: ten at a time, in order. */
const fifo = () => {
  const queue: SQSRecord[] = [];
  let ids = 0;
  return {
    queue,
    push: (body: string) => queue.push(sqsRecord(body, `m${++ids}`, OWNER)),
    take: (max: number) => queue.splice(0, max),
    putBack: (records: SQSRecord[]) =>
      queue.unshift(
        ...records.map((record) => ({
          ...record,
          attributes: {
            ...record.attributes,
            ApproximateReceiveCount: String(Number(record.attributes.ApproximateReceiveCount) + 1),
          },
        })),
      ),
  };
};

const setup = (deliver?: (message: CliqMessage) => { ok: true; status: number } | undefined) => {
  let clock = Date.parse('2026-12-07T10:00:00Z');
  const now = () => clock;
  const sleep = async (ms: number) => {
    clock += ms;
  };
  const posts: { at: number; message: CliqMessage }[] = [];
  const sqs = fifo();
  const outbox = memoryOutboxStore();
  const state = memoryStateStore(now);
  const pacer = new Pacer(20, now, sleep);
  const handler = createEngineHandler(
    {
      secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: URL }),
      previewWhenUnset: false,
      format: formatEvent,
      deliver: async (_url, message) => {
        posts.push({ at: clock, message });
        return deliver?.(message) ?? { ok: true, status: 200 };
      },
      preview: () => undefined,
      deadLetter: async () => undefined,
      log: recordingLog().log,
      pacer,
      state,
      now,
      digestAfter: 3,
      maxReceiveCount: 25,
    },
    {
      store: outbox,
      queueTick: async () => {
        sqs.push(tickBody(OWNER));
      },
      maxPosts: 4,
      batchSize: 10,
    },
  );
  /** Runs the sender until the queue is empty, as the event source would. */
  const drain = async () => {
    for (let rounds = 0; sqs.queue.length > 0 && rounds < 1000; rounds++) {
      const batch = sqs.take(10);
      const response = await handler({ Records: batch });
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      sqs.putBack(batch.filter((record) => failed.has(record.messageId)));
      clock += 50;
    }
  };
  const enqueue = (events: readonly VigilEvent[]) => {
    for (const event of events) sqs.push(toOutbound(event, { channel: 'default', owner: OWNER }).body);
  };
  return { posts, sqs, outbox, state, drain, enqueue, now, advance: (ms: number) => (clock += ms) };
};

const named = (posts: readonly { message: CliqMessage }[], name: string) =>
  posts.filter(({ message }) => JSON.stringify(message).replaceAll('\u200b', '').includes(name)).length;

describe('the outbox in front of the sender', () => {
  it('names a storm of 600 events in a handful of posts, each event once, never faster than the budget', async () => {
    const world = setup();
    const alerts = Array.from({ length: 400 }, (_, n) => instanceAlert(n + 1));
    const runs = Array.from({ length: 200 }, (_, n) => failingRun(n + 1));
    const start = world.now();
    world.enqueue([...alerts, ...runs].sort((a, b) => a.id.localeCompare(b.id)));
    await world.drain();

    if (process.env.SHOW_STORM)
      console.log(world.posts.map((p) => `${(p.at - start) / 1000}s ${p.message.text}`).join('\n'));
    expect(world.posts.length).toBeLessThanOrEqual(12);
    for (let n = 1; n <= 400; n++) expect(named(world.posts, `node${String(n).padStart(3, '0')}`)).toBe(1);
    for (let n = 1; n <= 200; n++) expect(named(world.posts, `#${500 + n}`)).toBeGreaterThanOrEqual(1);
    const last = world.posts.at(-1)?.at ?? start;
    expect(last - start).toBeLessThan(60_000);
    // Cliq's 20 posts a minute: no two posts closer than 3 s
    for (let i = 1; i < world.posts.length; i++)
      expect((world.posts[i]?.at ?? 0) - (world.posts[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(3_000);
    expect((await loadOutbox(world.outbox, OWNER)).entries).toHaveLength(0);
  });

  it('posts a lone event at once, the way it always did, without touching the outbox', async () => {
    const world = setup();
    world.enqueue([failingRun(1)]);
    await world.drain();
    expect(world.posts).toHaveLength(1);
    expect((await loadOutbox(world.outbox, OWNER)).head.generation).toBe(0);
  });

  it('keeps what waits through a crash after the post: the ledger stops it posting twice', async () => {
    const world = setup();
    world.enqueue(Array.from({ length: 10 }, (_, n) => failingRun(n + 1)));
    world.enqueue([failingRun(11)]);
    await world.drain();
    const before = world.posts.length;
    // a tick arrives again for what was already sent (a crash before the outbox was saved looks the same)
    world.sqs.push(tickBody(OWNER));
    await world.drain();
    expect(world.posts.length).toBe(before);
    for (let n = 1; n <= 11; n++) expect(named(world.posts, `runs/${9000 + n}`)).toBe(1);
  });

  it('leaves a held event waiting until the schedule ticks after its hold', async () => {
    const world = setup();
    const until = new Date(world.now() + 10 * 60_000).toISOString();
    const body = JSON.parse(toOutbound(failingRun(1), { channel: 'default', owner: OWNER }).body);
    world.sqs.push(JSON.stringify({ ...body, hold: { until, why: 'quiet hours' } }));
    await world.drain();
    expect(world.posts).toHaveLength(0);
    const tick = () =>
      runTicks({
        store: world.outbox,
        tick: async () => void world.sqs.push(tickBody(OWNER)),
        now: world.now,
        log: recordingLog().log,
      });
    expect(await tick()).toEqual([]);
    world.advance(10 * 60_000);
    expect(await tick()).toEqual([OWNER]);
    await world.drain();
    expect(world.posts).toHaveLength(1);
  });

  describe('a subject with a held event (quiet hours hold only its non-critical events)', () => {
    const heldBody = (event: VigilEvent, until: number) =>
      toOutbound(event, { channel: 'default', owner: OWNER, hold: { until, why: 'quiet-hours' } }).body;
    const tick = (world: ReturnType<typeof setup>) =>
      runTicks({
        store: world.outbox,
        tick: async () => void world.sqs.push(tickBody(OWNER)),
        now: world.now,
        log: recordingLog().log,
      });
    const warning = (id: string, status: 'firing' | 'resolved', instance: string): VigilEvent =>
      ({
        ...alertGroup(id, status, status === 'firing' ? 1 : 0, status === 'resolved' ? 1 : 0),
        severity: 'warning',
        facts: {
          ...(alertGroup(id, status, 1, 0).facts as object),
          status,
          alerts: [{ status, name: 'DiskFilling', instance }],
        },
      }) as VigilEvent;

    it('keeps a later event of the subject behind the held one, and posts both when the hold ends', async () => {
      const world = setup();
      const until = world.now() + 10 * 60_000;
      world.sqs.push(heldBody(failingRun(1), until));
      // another route sends the same repository's next run unheld: it waits behind the held one
      world.enqueue([failingRun(51)]);
      await world.drain();
      expect(world.posts).toHaveLength(0);
      world.advance(10 * 60_000);
      await tick(world);
      await world.drain();
      const shown = world.posts.map(({ message }) => JSON.stringify(message)).join('\n');
      expect(shown.indexOf('runs/9001')).toBeGreaterThanOrEqual(0);
      expect(shown.indexOf('runs/9001')).toBeLessThan(shown.indexOf('runs/9051'));
    });

    it('lets a critical event through at once, its subject’s held events going out just ahead of it', async () => {
      const world = setup();
      const until = world.now() + 8 * 60 * 60_000;
      world.sqs.push(heldBody(warning('w1', 'firing', 'disk-1'), until));
      world.sqs.push(heldBody(warning('w2', 'resolved', 'disk-1'), until));
      // another service's warning stays held
      world.sqs.push(heldBody({ ...warning('w3', 'firing', 'other-1'), subject: { name: 'db' } }, until));
      await world.drain();
      expect(world.posts).toHaveLength(0);
      world.enqueue([instanceAlert(7)]);
      await world.drain();
      const shown = world.posts.map(({ message }) => JSON.stringify(message)).join('\n');
      // the channel reads the service's story in order: the warning, its resolve, then the critical firing
      expect(shown.indexOf('disk-1')).toBeGreaterThanOrEqual(0);
      expect(shown.indexOf('disk-1')).toBeLessThan(shown.indexOf('node007'));
      expect(shown).not.toContain('other-1');
      expect((await loadOutbox(world.outbox, OWNER)).entries).toHaveLength(1);
    });
  });
});
