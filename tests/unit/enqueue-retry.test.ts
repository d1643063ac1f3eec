import type { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { loadConfig } from '../../lib/config';
import { QueueUnavailableError } from '../../lib/http/errors';
import { toErrorResponse } from '../../lib/http/response';
import { createEnqueue, EnqueueFailedError } from '../../lib/queue/enqueue';
import { toOutbound } from '../../lib/queue/message';
import type { EnqueueRetry } from '../../lib/queue/retry';
import { githubPush } from '../helpers/github-push';

/** A clock that only moves when the retry sleeps, so a 30-second outage takes no real time. */
const virtualRetry = (budgetMs = 6_000): EnqueueRetry & { elapsed: () => number } => {
  let now = 0;
  return {
    budgetMs,
    baseDelayMs: 50,
    maxDelayMs: 1_000,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    random: () => 0.999,
    elapsed: () => now,
  };
};

const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });

type Send = (command: SendMessageBatchCommand) => Promise<unknown>;

/** An SQS client that throttles every call until `throttleMs` of the retry's clock have passed. */
const queueThrottlingFor = (throttleMs: number, clock: () => number) => {
  const accepted: string[] = [];
  let calls = 0;
  const send: Send = async (command) => {
    calls++;
    if (clock() < throttleMs) throw throttled();
    for (const entry of command.input.Entries ?? []) accepted.push(entry.MessageDeduplicationId ?? '');
    return { Successful: command.input.Entries?.map((entry) => ({ Id: entry.Id })), Failed: [] };
  };
  return { client: { send } as never, accepted, calls: () => calls };
};

const messages = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    toOutbound(githubPush(`delivery-${index}`), { channel: 'default', owner: 'owner-a' }),
  );

describe('createEnqueue under SQS throttling (AWS: "Troubleshoot FIFO throttling issues")', () => {
  it('still sends once with a zero budget: ENQUEUE_RETRY_BUDGET_MS=0 turns retries off, not the queue', async () => {
    const retry = virtualRetry(0);
    const signals: (AbortSignal | undefined)[] = [];
    const send = async (command: SendMessageBatchCommand, options?: { abortSignal?: AbortSignal }) => {
      signals.push(options?.abortSignal);
      await new Promise((resolve) => setTimeout(resolve, 20)); // a real send takes a moment
      if (options?.abortSignal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      return { Successful: command.input.Entries?.map((entry) => ({ Id: entry.Id })), Failed: [] };
    };
    await expect(createEnqueue({ send } as never, 'http://q', retry)(messages(2))).resolves.toEqual({
      queued: 2,
    });
    expect(signals).toHaveLength(1);
  });

  it('refuses a budget the 10-second ingest Lambda could not honour', () => {
    expect(() => loadConfig({ ENQUEUE_RETRY_BUDGET_MS: '9000' })).toThrow(/ENQUEUE_RETRY_BUDGET_MS/);
    expect(loadConfig({ ENQUEUE_RETRY_BUDGET_MS: '7000' }).enqueueBudgetMs).toBe(7_000);
  });

  it('keeps retrying a queue that throttles for 2 s and queues every message once', async () => {
    const retry = virtualRetry();
    const queue = queueThrottlingFor(2_000, retry.now);
    const batch = messages(3);
    await expect(createEnqueue(queue.client, 'http://q', retry)(batch)).resolves.toEqual({ queued: 3 });
    expect(queue.accepted).toEqual(batch.map((message) => message.deduplicationId));
    expect(queue.calls()).toBeGreaterThan(1);
  });

  it("gives up on a queue that throttles for 30 s within the budget, so the answer beats GitHub's 10 s", async () => {
    const retry = virtualRetry(6_000);
    const queue = queueThrottlingFor(30_000, retry.now);
    const failure = await createEnqueue(queue.client, 'http://q', retry)(messages(1)).catch((error) => error);
    expect(failure).toBeInstanceOf(EnqueueFailedError);
    expect((failure as EnqueueFailedError).retryable).toBe(true);
    expect((failure as Error).message).toMatch(/ThrottlingException.*still refused after \d+ attempt/);
    expect(retry.elapsed()).toBeLessThanOrEqual(6_000);
    expect(queue.accepted).toEqual([]);
  });

  it('resends only the entries a batch answer refused as throttled, never the accepted ones', async () => {
    const retry = virtualRetry();
    const sent: string[][] = [];
    const send: Send = async (command) => {
      const entries = command.input.Entries ?? [];
      sent.push(entries.map((entry) => entry.MessageDeduplicationId ?? ''));
      if (sent.length > 1) return { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
      return {
        Successful: [{ Id: '0' }],
        Failed: entries
          .slice(1)
          .map((entry) => ({ Id: entry.Id, Code: 'ThrottlingException', SenderFault: false })),
      };
    };
    const batch = messages(3);
    await createEnqueue({ send } as never, 'http://q', retry)(batch);
    expect(sent).toEqual([
      batch.map((message) => message.deduplicationId),
      batch.slice(1).map((message) => message.deduplicationId),
    ]);
  });

  it("does not retry what SQS refuses as the sender's fault", async () => {
    const retry = virtualRetry();
    let calls = 0;
    const send: Send = async (command) => {
      calls++;
      return {
        Failed: (command.input.Entries ?? []).map((entry) => ({
          Id: entry.Id,
          Code: 'InvalidParameterValue',
          SenderFault: true,
        })),
      };
    };
    const failure = await createEnqueue(
      { send } as never,
      'http://q',
      retry,
    )(messages(1)).catch((error) => error);
    expect(failure).toBeInstanceOf(EnqueueFailedError);
    expect((failure as EnqueueFailedError).retryable).toBe(false);
    expect(calls).toBe(1);
  });

  it('retries a 5xx and a dropped connection, but not an unknown error', async () => {
    for (const [error, retried] of [
      [Object.assign(new Error('oops'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }), true],
      [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), true],
      [Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), false],
      [new TypeError('bug'), false],
    ] as const) {
      const retry = virtualRetry();
      let calls = 0;
      const send: Send = async (command) => {
        calls++;
        if (calls === 1) throw error;
        return { Successful: command.input.Entries?.map((entry) => ({ Id: entry.Id })), Failed: [] };
      };
      const outcome = await createEnqueue(
        { send } as never,
        'http://q',
        retry,
      )(messages(1)).then(
        () => 'queued',
        () => 'failed',
      );
      expect([outcome, calls]).toEqual(retried ? ['queued', 2] : ['failed', 1]);
    }
  });
});

describe('the answer when the queue stays unavailable', () => {
  it('is 503 with Retry-After, for the sources that retry', () => {
    const response = toErrorResponse(new QueueUnavailableError('Vigil could not queue this delivery'));
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'retry-after': '30' });
  });
});
