import type { SQSRecord } from 'aws-lambda';
import type { VigilEvent } from '../../lib/event/model';
import { memoryCounters } from '../../lib/metrics';
import type { DeadLetterReason } from '../../lib/queue/dead-letter';
import { toOutbound } from '../../lib/queue/message';
import type { SenderDeps } from '../../lib/sender/deps';
import { createSenderHandler } from '../../lib/sender/handler';
import { memoryStateStore } from '../../lib/state/memory-store';
import type { StateStore } from '../../lib/state/store';
import { pullRequest, push, workflowRun } from '../helpers/conversation-events';
import { fakeCliq } from '../helpers/fake-cliq';
import { type Fault, faultyStore } from '../helpers/faulty-store';
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
