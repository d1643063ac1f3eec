import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import type { VigilEvent } from '../../lib/event/model';
import { memoryCounters } from '../../lib/metrics';
import { DEAD_LETTER_REASONS, type DeadLetterReason } from '../../lib/queue/dead-letter';
import { toOutbound } from '../../lib/queue/message';
import type { SenderDeps } from '../../lib/sender/deps';
import { createSenderHandler } from '../../lib/sender/handler';
import { deliveryKey } from '../../lib/sender/ledger';
import { memoryStateStore } from '../../lib/state/memory-store';
import type { StateStore } from '../../lib/state/store';
import { pullRequest, push, workflowRun } from '../helpers/conversation-events';
import { tokensOf } from '../helpers/event-tokens';
import { fakeCliq } from '../helpers/fake-cliq';
import { FAULTS, type Fault, faultyStore } from '../helpers/faulty-store';
import { recordingLog } from '../helpers/log';
import { cliqSenderDeps } from '../helpers/posting-sender';
import { sqsRecord } from '../helpers/sqs-record';

const now = () => Date.parse('2026-11-23T12:00:00.000Z');

/** The real sender over `cliq` and `store`, recording what it dead-letters, logs, counts and waits. */
const senderOf = (
  store: StateStore,
  cliq: ReturnType<typeof fakeCliq>,
  overrides: Partial<SenderDeps> = {},
) => {
  const counters = memoryCounters();
  const recorder = recordingLog();
  const deadLettered: { messageId: string; body: string; why: DeadLetterReason }[] = [];
  const waits: number[] = [];
  const handler = createSenderHandler({
    ...cliqSenderDeps(cliq),
    deadLetter: async (record, why) =>
      void deadLettered.push({ messageId: record.messageId, body: record.body, why }),
    state: store,
    maxReceiveCount: 3,
    counters,
    now,
    sleep: async (ms) => void waits.push(ms),
    log: recorder.log,
    ...overrides,
  });
  return { counters, recorder, deadLettered, waits, handler };
};

/** The sender over the fake Cliq and a state store that fails where `faultAt` says. */
const setup = (
  faultAt: (call: number, method: string) => Fault | undefined = () => undefined,
  overrides: Partial<SenderDeps> = {},
) => {
  const cliq = fakeCliq();
  const memory = memoryStateStore(now);
  const { store, faults } = faultyStore(memory, faultAt);
  return { cliq, memory, faults, ...senderOf(store, cliq, overrides) };
};

let seq = 0;
const recordOf = (event: VigilEvent, receives = 1): SQSRecord =>
  sqsRecord(toOutbound(event, { channel: 'default', owner: 'cliq-a' }).body, `m${++seq}`, 'cliq-a', receives);

/** The n-th call to `method` (from 1) fails with `fault`, and its next `times - 1` calls too. */
const nth = (method: string, n: number, fault: Fault, times = 1) => {
  let seen = 0;
  return (_call: number, name: string): Fault | undefined => {
    if (name !== method) return undefined;
    seen += 1;
    return seen >= n && seen < n + times ? fault : undefined;
  };
};

const texts = (cliq: ReturnType<typeof fakeCliq>) =>
  cliq.posts.map((post) => post.message.text.split('\n')[0]);

describe('a state write that fails after Cliq took the post', () => {
  it('posts a pull request card once when its ledger write is throttled, and still records it', async () => {
    const { cliq, memory, handler, waits } = setup(nth('recordDelivery', 1, 'throttled'));
    const response = await handler({ Records: [recordOf(pullRequest('p1', 7, 'opened'))] });
    expect(response.batchItemFailures).toEqual([]);
    expect(cliq.posts).toHaveLength(1);
    expect((await memory.getDelivery('default', 'p1'))?.state).toBe('delivered');
    // one wait, between 25 and 50 ms (50 with equal jitter)
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(25);
    expect(waits[0]).toBeLessThanOrEqual(50);
  });

  it('keeps the CI streak: a failure whose conversation write timed out after it was applied is not posted again', async () => {
    const { cliq, handler } = setup(nth('putConversation', 1, 'applied'));
    for (const [id, conclusion, runId] of [
      ['w1', 'failure', 1],
      ['w2', 'failure', 2],
      ['w3', 'success', 3],
    ] as const)
      expect(
        (await handler({ Records: [recordOf(workflowRun(id, conclusion, { runId }))] })).batchItemFailures,
      ).toEqual([]);
    expect(texts(cliq)).toEqual([
      '🔴 acme/app: Workflow CI failed on main',
      '*Still failing (2nd run in a row)*',
      '*Fixed after 2 failed runs*',
    ]);
  });

  it('writes a conversation whose first write was throttled on its next try: the next failure is the 2nd in a row', async () => {
    const { cliq, handler } = setup(nth('putConversation', 1, 'throttling'));
    await handler({ Records: [recordOf(workflowRun('w1', 'failure', { runId: 1 }))] });
    await handler({ Records: [recordOf(workflowRun('w2', 'failure', { runId: 2 }))] });
    expect(texts(cliq)).toEqual([
      '🔴 acme/app: Workflow CI failed on main',
      '*Still failing (2nd run in a row)*',
    ]);
  });

  it('posts a digest of five whole when its second ledger write fails, not again as four', async () => {
    const { cliq, memory, handler } = setup(nth('recordDelivery', 2, 'server'), { digestAfter: 2 });
    const records = ['d1', 'd2', 'd3', 'd4', 'd5'].map((id) => recordOf(push(id)));
    const response = await handler({ Records: records });
    expect(response.batchItemFailures).toEqual([]);
    expect(texts(cliq)).toEqual([expect.stringMatching(/^📋 Digest: 5 events/)]);
    for (const id of ['d1', 'd2', 'd3', 'd4', 'd5'])
      expect((await memory.getDelivery('default', id))?.state).toBe('digested');
  });

  it('gives up after a few tries without failing the record: logged and counted, never posted again', async () => {
    const { cliq, handler, recorder, counters, waits } = setup((_call, method) =>
      method === 'recordDelivery' || method === 'putConversation' ? 'server' : undefined,
    );
    const record = recordOf(pullRequest('p1', 7, 'opened'));
    expect((await handler({ Records: [record] })).batchItemFailures).toEqual([]);
    expect(recorder.lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({
        message: 'state write failed after the post: the ledger entry not written',
        extra: [
          expect.objectContaining({
            channel: 'default',
            eventId: 'p1',
            tries: 5,
            error: 'InternalServerError',
          }),
        ],
      }),
      expect.objectContaining({ message: 'state write failed after the post: the conversation not written' }),
    ]);
    expect(counters.snapshot().state_write_failed).toEqual({ github: 2 });
    expect(counters.snapshot().delivered).toEqual({ github: 1 });
    expect(waits).toHaveLength(8);
    expect(recorder.text()).not.toMatch(/zapikey|https:\/\/cliq/);
    // SQS hands the message out again (a lost answer): this container knows it went out
    await handler({
      Records: [{ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } }],
    });
    expect(cliq.posts).toHaveLength(1);
  });
});

describe('a digest with replies', () => {
  it('posts the channel digest of events that came first before the thread reply of events that came later', async () => {
    const { cliq, handler } = setup(undefined, { digestAfter: 2 });
    await handler({ Records: [recordOf(pullRequest('p0', 7, 'opened'))] });
    const batch = [
      push('o1'),
      pullRequest('s1', 7, 'synchronize'),
      pullRequest('s2', 7, 'synchronize'),
      push('o2'),
    ];
    await handler({ Records: batch.map((event) => recordOf(event)) });
    expect(cliq.posts.slice(1).map((post) => [post.thread, post.message.text.split('\n')[0]])).toEqual([
      [false, expect.stringMatching(/^📋 Digest: 2 events/)],
      [true, expect.stringMatching(/^📋 Digest: 2 events/)],
    ]);
  });
});

describe('a digest with replies, keeping a conversation in order', () => {
  it('posts a run that fails again after its thread’s "Still failing" and "Fixed" replies, not ahead of them', async () => {
    const { cliq, handler } = setup(undefined, { digestAfter: 2 });
    await handler({ Records: [recordOf(workflowRun('w1', 'failure', { runId: 1 }))] });
    const batch = [
      push('o1'),
      workflowRun('w2', 'failure', { runId: 2 }),
      workflowRun('w3', 'success', { runId: 3 }),
      workflowRun('w4', 'failure', { runId: 4 }),
      push('o2'),
    ];
    await handler({ Records: batch.map((event) => recordOf(event)) });
    const where = (runId: number) =>
      cliq.posts.findIndex((post) => JSON.stringify(post.message).includes(`runs/${runId}`));
    expect(where(2)).toBeGreaterThan(0);
    expect(where(2)).toBeLessThanOrEqual(where(3));
    expect(where(3)).toBeLessThan(where(4));
  });
});

describe('a failure that is not Cliq’s, on the last receive', () => {
  it('dead-letters the record with state_unavailable and posts the one behind it', async () => {
    const { cliq, memory, deadLettered, handler } = setup(nth('getDelivery', 1, 'throttled'));
    const records = [recordOf(push('x1'), 3), recordOf(push('x2'), 3)];
    const response = await handler({ Records: records });
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered.map(({ messageId, why }) => ({ messageId, why }))).toEqual([
      {
        messageId: records[0]?.messageId,
        why: expect.objectContaining({
          reason: 'state_unavailable',
          code: 'ProvisionedThroughputExceededException',
          status: 400,
          kind: 'github.push',
          channel: 'default',
        }),
      },
    ]);
    expect(cliq.posts).toHaveLength(1);
    expect((await memory.getDelivery('default', 'x1'))?.reason).toMatch(/^state_unavailable: The level/);
  });

  it('before the last receive backs off and retries as before', async () => {
    const { deadLettered, handler } = setup(nth('getConversation', 1, 'server'));
    const records = [recordOf(pullRequest('p1', 1, 'opened'), 2), recordOf(push('x3'), 2)];
    const response = await handler({ Records: records });
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      records.map((record) => record.messageId),
    );
    expect(deadLettered).toEqual([]);
  });

  it('dead-letters with state_unavailable when the table is down, its own ledger write logged, not thrown', async () => {
    const { cliq, deadLettered, handler, recorder, counters } = setup(() => 'timeout');
    const response = await handler({ Records: [recordOf(push('x4'), 3), recordOf(push('x5'), 3)] });
    expect(response.batchItemFailures).toEqual([]);
    expect(cliq.posts).toEqual([]);
    expect(deadLettered.map((dead) => [dead.why.reason, dead.why.code])).toEqual([
      ['state_unavailable', 'TimeoutError'],
      ['state_unavailable', 'TimeoutError'],
    ]);
    expect(recorder.lines.map((line) => line.message)).toContain(
      'state write failed after the dead letter: the ledger entry not written',
    );
    expect(counters.snapshot().dead_lettered).toEqual({ github: 2 });
  });

  it('dead-letters with secret_unavailable when Secrets Manager fails, naming its error and no secret', async () => {
    const denied = Object.assign(
      new Error('User is not authorized to perform secretsmanager:GetSecretValue'),
      {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      },
    );
    const { deadLettered, handler } = setup(undefined, { secrets: () => Promise.reject(denied) });
    const response = await handler({ Records: [recordOf(push('x6'), 3), recordOf(push('x7'), 3)] });
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered.map((dead) => dead.why)).toEqual([
      expect.objectContaining({ reason: 'secret_unavailable', code: 'AccessDeniedException', status: 400 }),
      expect.objectContaining({ reason: 'secret_unavailable', kind: 'github.push' }),
    ]);
  });

  it('dead-letters with internal_error for a bug, and the record behind it still goes out', async () => {
    const cliq = fakeCliq();
    let calls = 0;
    const { deadLettered, handler } = setup(undefined, {
      deliver: async (url, message) => {
        calls += 1;
        if (calls === 1) throw new TypeError("Cannot read properties of undefined (reading 'ok')");
        return cliq.deliver(url, message);
      },
    });
    const response = await handler({ Records: [recordOf(push('x8'), 3), recordOf(push('x9'), 3)] });
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered.map((dead) => [dead.why.reason, dead.why.code])).toEqual([
      ['internal_error', 'TypeError'],
    ]);
    expect(cliq.posts).toHaveLength(1);
  });
});

/** Events over the sender's paths: pull requests (a card, then replies), one workflow's CI runs, pushes. */
const TEMPLATES: ((id: string, run: number) => VigilEvent)[] = [
  (id) => pullRequest(id, 1, 'opened'),
  (id) => pullRequest(id, 1, 'synchronize'),
  (id) => pullRequest(id, 1, 'merged'),
  (id) => pullRequest(id, 2, 'opened'),
  (id) => pullRequest(id, 2, 'reviewed'),
  (id, run) => workflowRun(id, 'failure', { runId: run }),
  (id, run) => workflowRun(id, 'failure', { runId: run }),
  (id, run) => workflowRun(id, 'success', { runId: run }),
  (id) => push(id),
];

type Handler = ReturnType<typeof createSenderHandler>;

/**
 * SQS FIFO for one message group, as the sender sees it: each receive hands out up to the next of
 * `batchSizes` messages from the group's head with their receive counts, going round the containers; the records a batch reports
 * failed go back to the head, in order; a message already received `maxReceiveCount` times is moved to the
 * DLQ by the redrive policy instead (its ids are returned).
 */
const runQueue = async (
  containers: readonly Handler[],
  records: readonly SQSRecord[],
  options: { readonly batchSizes: readonly number[]; readonly maxReceiveCount: number },
): Promise<SQSRecord[]> => {
  const waiting = records.map((record) => ({ record, receives: 0 }));
  const redriven: SQSRecord[] = [];
  for (let turn = 0; waiting.length > 0; turn += 1) {
    const batch: typeof waiting = [];
    const size = options.batchSizes[turn % options.batchSizes.length] ?? 1;
    for (let next = waiting.shift(); next !== undefined; next = waiting.shift()) {
      if (next.receives >= options.maxReceiveCount) redriven.push(next.record);
      else batch.push({ record: next.record, receives: next.receives + 1 });
      if (batch.length === size) break;
    }
    const handler = containers[turn % containers.length];
    if (batch.length === 0 || handler === undefined) continue;
    const response = await handler({
      Records: batch.map(({ record, receives }) => ({
        ...record,
        attributes: { ...record.attributes, ApproximateReceiveCount: String(receives) },
      })),
    });
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    waiting.unshift(...batch.filter(({ record }) => failed.has(record.messageId)));
  }
  return redriven;
};

/** What Cliq shows, without its message ids: where each post went and what it says. */
const shown = (cliq: ReturnType<typeof fakeCliq>) =>
  cliq.posts.map(
    (post) =>
      `${post.thread ? 'thread' : 'channel'}${post.message.post_in_parent ? '+' : ''}: ${post.message.text}`,
  );

const scenario = fc.record({
  steps: fc.array(fc.nat(TEMPLATES.length - 1), { minLength: 1, maxLength: 14 }),
  batchSizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
  digestAfter: fc.integer({ min: 2, max: 4 }),
  threadsRefused: fc.boolean(),
  containers: fc.integer({ min: 1, max: 2 }),
  maxReceiveCount: fc.integer({ min: 1, max: 3 }),
  faults: fc.array(fc.record({ at: fc.nat(100), fault: fc.constantFrom(...FAULTS) }), { maxLength: 8 }),
});

describe('the sender under DynamoDB faults, received again and again as SQS would', () => {
  it('posts no event twice, loses none, and says what a fault-free run says', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        async ({ steps, batchSizes, digestAfter, threadsRefused, containers, maxReceiveCount, faults }) => {
          const forbidThreads = threadsRefused ? ['ops'] : [];
          const events = steps.flatMap((template, index) => {
            const token = `evt${String(index).padStart(4, '0')}`;
            const event = TEMPLATES[template]?.(token, index + 1);
            return event === undefined ? [] : [{ ...event, title: `${event.title} ${token}` }];
          });
          const records = events.map((event, index) =>
            sqsRecord(toOutbound(event, { channel: 'default', owner: 'cliq-a' }).body, `q${index}`),
          );
          const planned = new Map(faults.map(({ at, fault }) => [at, fault]));
          const memory = memoryStateStore(now);
          // a fault in a few, so that DynamoDB recovers within the sender's retries of a write
          const faulty = faultyStore(memory, (call) => planned.get(call), {
            most: { faults: 4, within: 250 },
          });
          const cliq = fakeCliq({ forbidThreads });
          const settings = { digestAfter, maxReceiveCount };
          const senders = Array.from({ length: containers }, () => senderOf(faulty.store, cliq, settings));
          const redriven = await runQueue(
            senders.map((sender) => sender.handler),
            records,
            { batchSizes, maxReceiveCount },
          );
          const digests = Math.max(...batchSizes) > digestAfter;
          const deadLettered = senders.flatMap((sender) => sender.deadLettered);
          for (const sender of senders) expect(sender.counters.snapshot().state_write_failed).toBeUndefined();
          for (const { why } of deadLettered) expect(DEAD_LETTER_REASONS).toContain(why.reason);
          // without digests, SQS never moves a record untried: the sender dead-letters it with its reason
          if (!digests) expect(redriven).toEqual([]);

          const posted = (token: string) =>
            cliq.posts.filter((post) => tokensOf(post.message).has(token)).length;
          const kept: VigilEvent[] = [];
          const dead = new Set([...deadLettered.map((d) => d.body), ...redriven.map((r) => r.body)]);
          for (const [index, event] of events.entries()) {
            const ledger = await memory.getDelivery('default', deliveryKey(event));
            const body = records[index]?.body ?? '';
            expect(posted(event.id)).toBeLessThanOrEqual(1);
            // none lost: posted, recorded as changing nothing, or in the DLQ
            expect(posted(event.id) === 1 || ledger?.state === 'unchanged' || dead.has(body)).toBe(true);
            if (posted(event.id) === 1 || ledger?.state === 'unchanged') kept.push(event);
          }

          // each event reaches Cliq in the order it arrived, as far as cards allow: cards go out in the order of
          // their earliest events
          const earliest = cliq.posts.map((post) => [...tokensOf(post.message)].sort()[0] ?? '');
          expect(earliest).toEqual([...earliest].sort());

          if (!digests) {
            // every event posts on its own: the conversation reads as a fault-free run of the events that went out
            const reference = fakeCliq({ forbidThreads });
            const clean = senderOf(memoryStateStore(now), reference, settings);
            for (const [index, event] of kept.entries())
              await clean.handler({
                Records: [
                  sqsRecord(toOutbound(event, { channel: 'default', owner: 'cliq-a' }).body, `r${index}`),
                ],
              });
            expect(shown(cliq)).toEqual(shown(reference));
          }

          // a redrive of the DLQ posts what it holds once, and nothing that already went out
          const redrive = senderOf(memory, cliq, settings);
          const letters = [...deadLettered.map((d) => d.body), ...redriven.map((r) => r.body)];
          for (const [index, body] of letters.entries())
            await redrive.handler({ Records: [sqsRecord(body, `dlq${index}`)] });
          for (const event of events) {
            const ledger = await memory.getDelivery('default', deliveryKey(event));
            expect(posted(event.id) + (ledger?.state === 'unchanged' ? 1 : 0)).toBe(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
