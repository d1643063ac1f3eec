import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { drainQueued } from '../../bench/burst/queued';
import { isRetryableSqsError } from '../../lib/queue/retry';
import { QUEUE_SETTINGS } from '../../lib/queue/settings';
import { postGithub } from '../../tools/harness/github';
import { gatewayThrottle } from '../../tools/local/gateway-throttle';
import { type LocalQueues, startLocalQueues } from '../../tools/local/sqs-server';
import {
  callRate,
  FIFO_CALLS_PER_SECOND,
  HIGH_THROUGHPUT_FIFO_CALLS_PER_SECOND,
  sendQuotaFor,
} from '../../tools/local/sqs-throttle';
import type { LocalStack } from '../../tools/local/stack';
import { tokenBucket } from '../../tools/local/token-bucket';
import { testStack } from '../helpers/local-stack';

const ROOT = join(__dirname, '..', '..');
const throttleFile = JSON.parse(readFileSync(join(ROOT, 'serverless', 'throttle.json'), 'utf8'));

/** A distinct failing workflow_job per `n`, so no two share a body (ingest deduplicates on signed bytes). */
const job = (n: number) => ({
  action: 'completed',
  workflow_job: {
    id: 1000 + n,
    run_id: 77,
    name: `test (${n})`,
    status: 'completed',
    conclusion: 'failure',
    head_branch: 'main',
    html_url: `https://github.com/acme/api/actions/runs/77/job/${1000 + n}`,
  },
  repository: { full_name: 'acme/api', html_url: 'https://github.com/acme/api' },
});
const deliver = (stack: LocalStack, n: number) =>
  postGithub(stack.url, job(n), { event: 'workflow_job', delivery: `d-${n}` });

/**
 * API Gateway Developer Guide, "Throttling requests to your HTTP API": a token bucket where a token counts for
 * a request, the burst is the bucket's maximum size and the rate its steady refill; past both, 429 Too Many
 * Requests.
 */
describe("API Gateway's token bucket (local model)", () => {
  it('takes a whole burst at once, then one request per 1/rate seconds', () => {
    const bucket = tokenBucket({ rate: 10, burst: 3 }, 0);
    expect([0, 0, 0, 0].map((t) => bucket.take(t))).toEqual([true, true, true, false]);
    expect(bucket.take(50)).toBe(false); // half a token
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(100)).toBe(false);
    // an idle bucket refills only up to the burst
    expect([10_000, 10_000, 10_000, 10_000].map((t) => bucket.take(t))).toEqual([true, true, true, false]);
  });

  it("follows serverless.yml: serverless/throttle.json's default, and VIGIL_THROTTLE_RATE / VIGIL_THROTTLE_BURST over it", () => {
    expect(gatewayThrottle({})).toEqual(throttleFile.default);
    expect(gatewayThrottle({ VIGIL_THROTTLE_RATE: '5', VIGIL_THROTTLE_BURST: '10' })).toEqual({
      rate: 5,
      burst: 10,
    });
    expect(() => gatewayThrottle({ VIGIL_THROTTLE_BURST: 'lots' })).toThrow(/VIGIL_THROTTLE_BURST/);
  });

  describe('in front of the webhook routes', () => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await testStack({ VIGIL_THROTTLE_RATE: '1', VIGIL_THROTTLE_BURST: '3' }, { consume: false });
    });
    afterAll(() => stack.stop());

    it('answers 429 {"message":"Too Many Requests"} past the burst, queues nothing for it, and takes a request again a second later', async () => {
      const answers = await Promise.all([0, 1, 2, 3, 4].map((n) => deliver(stack, n)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([202, 202, 202, 429, 429]);
      const refused = answers.find((a) => a.status === 429);
      expect(await refused?.json()).toEqual({ message: 'Too Many Requests' });
      // another route has its own bucket (DefaultRouteSettings throttle each route)
      expect(
        (await fetch(`${stack.url}/webhooks/alertmanager`, { method: 'POST', body: '{}' })).status,
      ).not.toBe(429);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await deliver(stack, 5)).status).toBe(202);
      const queued = await drainQueued(stack.queues.client, stack.queues.queueUrl, 1);
      expect([...queued.values()].reduce((a, b) => a + b, 0)).toBe(4);
    });
  });
});

/**
 * Amazon SQS Developer Guide, "Troubleshoot FIFO throttling issues": a FIFO queue supports 300 transactions a
 * second per API action, and requests over it get ThrottlingException; "Amazon SQS message quotas": high
 * throughput mode raises it per Region (2,400 where the page lists no higher figure).
 */
describe("the FIFO queue's call quota (local model)", () => {
  it('allows `quota` calls of an action per queue in any second, each action and queue counted apart', () => {
    const rate = callRate(() => 2);
    expect([0, 10, 20].map((t) => rate.take('q', 'SendMessageBatch', t))).toEqual([true, true, false]);
    expect(rate.take('q', 'SendMessage', 20)).toBe(true);
    expect(rate.take('other', 'SendMessageBatch', 20)).toBe(true);
    expect(rate.take('q', 'SendMessageBatch', 999)).toBe(false);
    expect(rate.take('q', 'SendMessageBatch', 1000)).toBe(true);
    expect(rate.refused()).toBe(2);
  });

  it('gives the events queue, high-throughput as serverless/queue.json declares it, the high-throughput quota; a queue left at normal throughput 300', () => {
    expect(sendQuotaFor(QUEUE_SETTINGS)).toBe(HIGH_THROUGHPUT_FIFO_CALLS_PER_SECOND);
    expect(sendQuotaFor({ ...QUEUE_SETTINGS, deduplicationScope: 'queue' })).toBe(FIFO_CALLS_PER_SECOND);
    expect(sendQuotaFor({ ...QUEUE_SETTINGS, fifoThroughputLimit: 'perQueue' })).toBe(FIFO_CALLS_PER_SECOND);
  });

  describe('on the embedded SQS', () => {
    let queues: LocalQueues;
    // as ingest's client: the SDK's own retries off, so each throttled call is seen
    let client: SQSClient;
    beforeAll(async () => {
      queues = await startLocalQueues({ port: 0, host: '127.0.0.1', sendCallsPerSecond: 2 });
      client = new SQSClient({
        region: 'us-east-1',
        endpoint: queues.endpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      });
    });
    afterAll(async () => {
      client.destroy();
      queues.client.destroy();
      await new Promise((resolve) => queues.server.close(resolve));
    });

    const batch = (client: SQSClient, n: number) =>
      client.send(
        new SendMessageBatchCommand({
          QueueUrl: queues.queueUrl,
          Entries: [{ Id: '0', MessageBody: `m${n}`, MessageGroupId: 'g', MessageDeduplicationId: `b${n}` }],
        }),
      );

    it('creates the events queue in high-throughput mode, as serverless.yml does', async () => {
      const { Attributes } = await queues.client.send(
        new GetQueueAttributesCommand({ QueueUrl: queues.queueUrl, AttributeNames: ['All'] }),
      );
      expect(Attributes).toMatchObject({
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
      });
    });

    it('answers SendMessageBatch past the quota with a ThrottlingException the AWS SDK parses and ingest retries', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await batch(client, 1);
      await batch(client, 2);
      const error = await batch(client, 3).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
      expect((error as Error).message).toBe('Rate exceeded');
      expect(isRetryableSqsError(error)).toBe(true);
      // SendMessage has its own quota
      await expect(
        client.send(
          new SendMessageCommand({
            QueueUrl: queues.queueUrl,
            MessageBody: 'single',
            MessageGroupId: 'g',
            MessageDeduplicationId: 's1',
          }),
        ),
      ).resolves.toHaveProperty('MessageId');
      expect(queues.throttledCalls()).toBe(1);
    });
  });
});

describe('ingest against a throttling queue (local stack)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    // 5 sends a second: 15 webhooks at once keep the queue throttling for 2 s
    stack = await testStack({}, { consume: false, sendCallsPerSecond: 5 });
  });
  afterAll(() => stack.stop());

  it('still answers every webhook 202 and queues each once when the queue throttles for 2 s', async () => {
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 15 }, async (_, n) => {
        const answer = await deliver(stack, 100 + n);
        return { status: answer.status, ms: Date.now() - started };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(15).fill(202));
    const slowest = Math.max(...answers.map((a) => a.ms));
    expect(slowest).toBeGreaterThanOrEqual(1900);
    // within ingest's retry budget (ENQUEUE_RETRY_BUDGET_MS, 6 s), well before GitHub's 10 s
    expect(slowest).toBeLessThan(7000);
    expect(stack.queues.throttledCalls()).toBeGreaterThan(0);
    const queued = await drainQueued(stack.queues.client, stack.queues.queueUrl, 1);
    expect(queued.size).toBe(15);
    expect([...queued.values()].every((count) => count === 1)).toBe(true);
  }, 20_000);
});
