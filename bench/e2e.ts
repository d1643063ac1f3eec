/**
 * Webhook sent → Cliq post received, through the local stack: the real ingest handler, the embedded SQS FIFO
 * queue, the FIFO event source and the real sender, with a loopback receiver standing in for Cliq.
 */

import type { Log } from '../lib/log';
import { octokitExample } from '../tools/harness/github';
import { startLocalStack } from '../tools/local/stack';
import { githubHeaders, SECRET } from './cases';
import { startCliqReceiver } from './cliq-receiver';
import { percentile } from './timing';

/** The highest rate Vigil accepts (CLIQ_POSTS_PER_MINUTE): posts of one owner 100 ms apart. */
const POSTS_PER_MINUTE = 600;
const SPACING_MS = Math.ceil(60_000 / POSTS_PER_MINUTE);
/**
 * The local event source's empty receive: WaitTimeSeconds 1 and the embedded server's 40 ms grace. Events are
 * sent at a random phase of it; a message that arrives is answered within the server's 10 ms scan, as SQS
 * long polling answers as soon as a message is available.
 */
const POLL_CYCLE_MS = 1040;
/** How often the embedded SQS server looks for messages during a long poll. */
export const POLL_SCAN_MS = 10;

const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface EndToEnd {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly events: number;
  /** Until the 202, of the same events. */
  readonly acceptedP50Ms: number;
  readonly acceptedP99Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** A distinct push each time (its own delivery and head commit), so none is a redelivery of another. */
const pushNumber = (template: Record<string, unknown>, n: number): string => {
  const id = n.toString(16).padStart(40, '0');
  const head = template.head_commit as Record<string, unknown> | null;
  return JSON.stringify({ ...template, after: id, ...(head ? { head_commit: { ...head, id } } : {}) });
};

/**
 * One event at a time, each sent once the previous one was posted and the pacer's spacing has passed, so
 * pacing never holds one back; then a random pause within one poll cycle, so arrivals fall at random moments
 * of the event source's receive, as real webhooks do, rather than locked to one phase of it.
 */
export const measureEndToEnd = async (events: number): Promise<EndToEnd> => {
  const receiver = await startCliqReceiver();
  const stack = await startLocalStack({
    env: {
      PATH: process.env.PATH,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      GITHUB_WEBHOOK_SECRET: SECRET,
      ZOHO_CLIQ_WEBHOOK_URL: receiver.channelUrl,
      CLIQ_POSTS_PER_MINUTE: String(POSTS_PER_MINUTE),
    },
    port: 0,
    sqsPort: 0,
    log: silent,
  });
  // a push as GitHub sends it
  const template = octokitExample('push');
  const total: number[] = [];
  const accepted: number[] = [];
  try {
    for (let n = 1; n <= events; n++) {
      const body = pushNumber(template, n);
      const posted = receiver.arrivals.length;
      const t0 = performance.now();
      const response = await fetch(`${stack.url}/webhooks/github`, {
        method: 'POST',
        headers: githubHeaders('push', body, `bench-${process.pid}-${n}`),
        body,
      });
      const answer = await response.text();
      if (response.status !== 202) throw new Error(`the stack answered ${response.status}: ${answer}`);
      accepted.push(performance.now() - t0);
      total.push((await receiver.arrival(posted + 1, 10_000)) - t0);
      await sleep(SPACING_MS + 30 + Math.random() * POLL_CYCLE_MS);
    }
  } finally {
    await stack.stop();
    await receiver.stop();
  }
  return {
    p50Ms: percentile(total, 50),
    p99Ms: percentile(total, 99),
    events,
    acceptedP50Ms: percentile(accepted, 50),
    acceptedP99Ms: percentile(accepted, 99),
    minMs: Math.min(...total),
    maxMs: Math.max(...total),
  };
};
