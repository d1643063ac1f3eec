/**
 * The burst of issue 20 through the local stack with production's limits modelled: API Gateway's token bucket
 * (serverless/throttle.json) in front of the real github ingest handler, and the high-throughput FIFO queue's
 * call quota in the embedded SQS. Signed GitHub webhooks are sent at an even pace over a fixed number of
 * keep-alive connections; then the queue is drained to see what reached it. No sender runs: the burst
 * measures ingest, and the queue's content is what it counts.
 */
import { Agent, request } from 'node:http';
import type { Log } from '../../lib/log';
import { DEFAULT_POLICY_PATH } from '../../lib/routing/load';
import { gatewayThrottle } from '../../tools/local/gateway-throttle';
import { startLocalStack } from '../../tools/local/stack';
import type { BucketLimits } from '../../tools/local/token-bucket';
import type { BurstOptions } from './args';
import { BURST_SECRET, type BurstWebhook, burstWebhooks } from './events';
import { drainQueued, tallyQueued } from './queued';

const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One webhook's answer: its status (0 when the connection failed) and how long it took, in ms. */
export interface Answer {
  readonly status: number;
  readonly ms: number;
}

export interface BurstResult {
  readonly webhooks: number;
  readonly connections: number;
  readonly targetSeconds: number;
  /** From the first send until the last answer. */
  readonly sendSeconds: number;
  /** The gateway's limits the stack modelled. */
  readonly throttle: BucketLimits;
  readonly accepted: number;
  readonly refused429: number;
  readonly refused5xx: number;
  /** Any other answer (4xx other than 429, or no answer). */
  readonly other: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Distinct delivery ids on the queue, of those sent. */
  readonly queued: number;
  /** Messages beyond the first for a delivery id. */
  readonly duplicates: number;
  /** Accepted deliveries that never reached the queue. */
  readonly lost: number;
  /** SendMessageBatch calls the queue's quota answered with ThrottlingException (ingest retried them). */
  readonly sqsThrottled: number;
}

/** The value below which `p` of the sorted values fall (nearest rank). */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0);

/** The answers tallied: accepted (202), refused by the gateway (429) or by ingest (5xx), and latencies. */
export const tallyAnswers = (answers: readonly Answer[]) => {
  const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
  const status = (test: (s: number) => boolean) => answers.filter((a) => test(a.status)).length;
  return {
    accepted: status((s) => s === 202),
    refused429: status((s) => s === 429),
    refused5xx: status((s) => s >= 500),
    other: status((s) => s !== 202 && s !== 429 && s < 500),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? 0,
  };
};

const post = (agent: Agent, url: URL, webhook: BurstWebhook): Promise<Answer> =>
  new Promise((resolve) => {
    const start = performance.now();
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...webhook.headers, 'content-length': Buffer.byteLength(webhook.body) },
      },
      (answer) => {
        answer.resume();
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, ms: performance.now() - start }));
      },
    );
    outgoing.on('error', () => resolve({ status: 0, ms: performance.now() - start }));
    outgoing.end(webhook.body);
  });

/** Sends webhook i at `i · seconds / count` from the start, at most `connections` in flight. */
const sendPaced = async (
  url: URL,
  webhooks: readonly BurstWebhook[],
  connections: number,
  seconds: number,
): Promise<Answer[]> => {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const answers: Answer[] = [];
  const start = performance.now();
  const gapMs = (seconds * 1000) / webhooks.length;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < webhooks.length; i = next++) {
      const due = start + i * gapMs - performance.now();
      if (due > 0) await sleep(due);
      answers[i] = await post(agent, url, webhooks[i] as BurstWebhook);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return answers;
};

export const runBurst = async (options: BurstOptions): Promise<BurstResult> => {
  const webhooks = burstWebhooks(options.webhooks);
  const env = {
    PATH: process.env.PATH,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // the default policy, whatever vigil.config.yaml a developer keeps: everything to the default channel
    VIGIL_CONFIG: DEFAULT_POLICY_PATH,
    GITHUB_WEBHOOK_SECRET: BURST_SECRET,
  };
  // production's limits as a deploy from this shell would set them: VIGIL_THROTTLE_RATE / VIGIL_THROTTLE_BURST,
  // else serverless/throttle.json (so the limits before issue 20, 50/s and 200, can be tried the same way)
  const throttle = gatewayThrottle(process.env);
  const stack = await startLocalStack({ env, port: 0, sqsPort: 0, log: silent, throttle, consume: false });
  try {
    const start = performance.now();
    const answers = await sendPaced(
      new URL('/webhooks/github', stack.url),
      webhooks,
      options.connections,
      options.seconds,
    );
    const sendSeconds = (performance.now() - start) / 1000;
    const queued = tallyQueued(
      webhooks.map((w) => w.delivery),
      await drainQueued(stack.queues.client, stack.queues.queueUrl),
    );
    const acceptedIds = webhooks.filter((_, i) => answers[i]?.status === 202).map((w) => w.delivery);
    const missing = new Set(queued.missing);
    return {
      webhooks: webhooks.length,
      connections: options.connections,
      targetSeconds: options.seconds,
      sendSeconds,
      throttle,
      ...tallyAnswers(answers),
      queued: queued.queued,
      duplicates: queued.duplicates,
      lost: acceptedIds.filter((id) => missing.has(id)).length,
      sqsThrottled: stack.queues.throttledCalls(),
    };
  } finally {
    await stack.stop();
  }
};
