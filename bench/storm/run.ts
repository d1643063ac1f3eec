/**
 * The issue 18 storm through the local stack: every webhook of bench/storm/events.ts sent at once (16 at a
 * time) to the real ingest handlers, the embedded SQS FIFO queue and the real sender, posting to a Cliq
 * stand-in that enforces Cliq's budget: 20 posts a minute per token, and a 10-minute lock past it.
 */
import type { Log } from '../../lib/log';
import { DEFAULT_POLICY_PATH } from '../../lib/routing/load';
import { countDeadLetters } from '../../tools/dlq/dead-letters';
import { ChaosCliq } from '../../tools/harness/chaos-cliq';
import { startLocalStack } from '../../tools/local/stack';
import { queueDepth } from '../../tools/sqs/queue-attributes';
import { STORM_1X, STORM_SECRETS, type StormEvent, stormEvents } from './events';
import { tallyStorm } from './named';

export const STORM_CONCURRENCY = 16;
/** Cliq's budget (specs/zoho-cliq.md), which the stand-in enforces and Vigil is configured with. */
export const CLIQ_BUDGET = { postsPerMinute: 20, lockMinutes: 10 } as const;
const POLL_MS = 500;

const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface StormResult {
  readonly scale: number;
  readonly events: number;
  readonly groups: number;
  readonly runs: number;
  readonly repos: number;
  /** Until the last webhook was answered. */
  readonly sendSeconds: number;
  /** Webhooks answered other than 202. */
  readonly refused: number;
  /** Messages Cliq accepted (2xx). */
  readonly posts: number;
  readonly postsByType: Readonly<Record<string, number>>;
  /** From the first webhook sent until the last event was first named in an accepted post; null if some never were. */
  readonly namedSeconds: number | null;
  readonly unnamed: number;
  /** The first few unnamed events, to look into. */
  readonly unnamedSample: readonly string[];
  readonly duplicates: number;
  readonly duplicateSample: readonly string[];
  readonly lockTrips: number;
  readonly deadLettered: number;
  /** The stand-in's answers by status (400 = over budget or locked). */
  readonly cliqAnswers: Readonly<Record<string, number>>;
  readonly capSeconds: number;
}

/** Sends every event, `concurrency` in flight at a time; resolves with how many were not answered 202. */
const sendAll = async (url: string, events: readonly StormEvent[], concurrency: number): Promise<number> => {
  let next = 0;
  let refused = 0;
  const worker = async () => {
    for (let i = next++; i < events.length; i = next++) {
      const event = events[i] as StormEvent;
      const response = await fetch(`${url}${event.path}`, {
        method: 'POST',
        headers: event.headers,
        body: event.body,
      });
      await response.text();
      if (response.status !== 202) refused++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return refused;
};

/**
 * Replays the storm at `scale`×, then waits until every event is named in an accepted post and the queue is
 * empty (so a late duplicate is counted too), or until `capSeconds` have passed since the first send.
 */
export const runStorm = async (scale: number, capSeconds: number): Promise<StormResult> => {
  const events = stormEvents(scale);
  const cliq = await new ChaosCliq({
    seed: 1,
    limit: CLIQ_BUDGET.postsPerMinute,
    windowMs: 60_000,
    lockMs: CLIQ_BUDGET.lockMinutes * 60_000,
    // no faults: the storm measures the budget alone
    p503: 0,
    pTimeout: 0,
    pReset: 0,
    p429: 0,
    hangMs: 0,
  }).start();
  const stack = await startLocalStack({
    env: {
      PATH: process.env.PATH,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // the default policy, whatever vigil.config.yaml a developer keeps: everything to the default channel
      VIGIL_CONFIG: DEFAULT_POLICY_PATH,
      GITHUB_WEBHOOK_SECRET: STORM_SECRETS.github,
      ALERTMANAGER_TOKEN: STORM_SECRETS.alertmanager,
      ZOHO_CLIQ_WEBHOOK_URL: cliq.channelUrl('storm', 'storm-token'),
      CLIQ_POSTS_PER_MINUTE: String(CLIQ_BUDGET.postsPerMinute),
      CLIQ_LOCK_SECONDS: String(CLIQ_BUDGET.lockMinutes * 60),
    },
    port: 0,
    sqsPort: 0,
    log: silent,
  });
  const tally = () => tallyStorm(events, cliq.deliveries);
  try {
    const start = Date.now();
    const deadline = start + capSeconds * 1000;
    const refused = await sendAll(stack.url, events, STORM_CONCURRENCY);
    const sent = Date.now();
    for (;;) {
      const depth = await queueDepth(stack.queues.client, stack.queues.queueUrl);
      const idle = depth.visible === 0 && depth.inFlight === 0;
      if ((idle && tally().unnamed.length === 0) || Date.now() >= deadline) break;
      await sleep(POLL_MS);
    }
    const { firstNamedAt, unnamed, duplicates, postsByType } = tally();
    return {
      scale,
      events: events.length,
      groups: STORM_1X.groups * scale,
      runs: STORM_1X.runs * scale,
      repos: STORM_1X.repos * scale,
      sendSeconds: (sent - start) / 1000,
      refused,
      posts: cliq.deliveries.length,
      postsByType,
      namedSeconds: unnamed.length === 0 ? (Math.max(...firstNamedAt.values()) - start) / 1000 : null,
      unnamed: unnamed.length,
      unnamedSample: unnamed.slice(0, 5),
      duplicates: duplicates.size,
      duplicateSample: [...duplicates.keys()].slice(0, 5),
      lockTrips: cliq.lockTrips.length,
      deadLettered: await countDeadLetters(stack.queues),
      cliqAnswers: cliq.answered,
      capSeconds,
    };
  } finally {
    await stack.stop();
    await cliq.stop();
  }
};
