import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Log } from '../log';
import type { OutboundMessage } from './message';
import {
  backoffMs,
  defaultEnqueueRetry,
  type EnqueueRetry,
  isRetryableEntry,
  isRetryableSqsError,
} from './retry';
import { MAX_BATCH_BYTES } from './size';

export type EnqueueReceipt =
  | { readonly queued: number }
  /** Local `invoke local` with no local stack running: what would have been queued. */
  | { readonly queued: 0; readonly dryRun: true; readonly messages: readonly unknown[] };

export type Enqueue = (messages: readonly OutboundMessage[]) => Promise<EnqueueReceipt>;

export class EnqueueFailedError extends Error {
  override readonly name = 'EnqueueFailedError';
  /** True when SQS was throttling or failing and may take the messages later: the caller may retry. */
  readonly retryable: boolean;
  constructor(message: string, options: { readonly retryable?: boolean } = {}) {
    super(message);
    this.retryable = options.retryable ?? false;
  }
}

const MAX_BATCH = 10;

/** SQS message attributes, each a `String`. */
const stringAttributes = (attributes: Readonly<Record<string, string>>) => {
  const out: Record<string, { DataType: 'String'; StringValue: string }> = {};
  for (const key in attributes) out[key] = { DataType: 'String', StringValue: attributes[key] as string };
  return out;
};

/** Up to 10 entries whose sizes, as SQS counts them, sum to at most MAX_BATCH_BYTES. */
const batches = (messages: readonly OutboundMessage[]): OutboundMessage[][] => {
  const out: OutboundMessage[][] = [];
  let current: OutboundMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.bytes;
    if (current.length === MAX_BATCH || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
};

/**
 * Sends to the FIFO queue; throws unless every message was accepted, so ingest never answers 2xx for a lost
 * event. Throttling and SQS's own faults are retried within `retry`'s budget, a batch's failed entries alone
 * (the accepted ones are not sent twice).
 */
export const createEnqueue =
  (client: Pick<SQSClient, 'send'>, queueUrl: string, retry: EnqueueRetry = defaultEnqueueRetry()): Enqueue =>
  async (messages) => {
    const deadline = retry.now() + retry.budgetMs;
    for (const batch of batches(messages)) await sendBatch(client, queueUrl, batch, retry, deadline);
    return { queued: messages.length };
  };

/** The least time one send is given before it is abandoned: SQS answers in tens of milliseconds. */
const MIN_ATTEMPT_MS = 2_000;

const sendBatch = async (
  client: Pick<SQSClient, 'send'>,
  queueUrl: string,
  batch: readonly OutboundMessage[],
  retry: EnqueueRetry,
  deadline: number,
): Promise<void> => {
  let pending = batch;
  for (let attempt = 1; ; attempt++) {
    let failure: string;
    try {
      const result = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: pending.map((message, index) => ({
            Id: String(index),
            MessageBody: message.body,
            MessageGroupId: message.groupId,
            MessageDeduplicationId: message.deduplicationId,
            MessageAttributes: stringAttributes(message.attributes),
          })),
        }),
        // every send gets at least one fair try, so a small or zero budget means "no retries", not "no sends"
        { abortSignal: AbortSignal.timeout(Math.max(MIN_ATTEMPT_MS, deadline - retry.now())) },
      );
      const failed = result.Failed ?? [];
      if (failed.length === 0) return;
      const codes = failed.map((entry) => entry.Code).join(', ');
      if (!failed.every(isRetryableEntry)) {
        throw new EnqueueFailedError(`SQS refused ${failed.length} message(s): ${codes}`);
      }
      pending = failed.map((entry) => pending[Number(entry.Id)] as OutboundMessage);
      failure = `SQS refused ${failed.length} message(s): ${codes}`;
    } catch (error) {
      if (error instanceof EnqueueFailedError || !isRetryableSqsError(error)) throw error;
      failure = `${(error as Error).name}: ${(error as Error).message}`;
    }
    const wait = backoffMs(retry, attempt);
    if (retry.now() + wait >= deadline) {
      throw new EnqueueFailedError(
        `${failure} (still refused after ${attempt} attempt(s) in ${retry.budgetMs} ms)`,
        { retryable: true },
      );
    }
    await retry.sleep(wait);
  }
};

const isConnectionRefused = (error: unknown): boolean => {
  const seen = new Set<unknown>();
  for (let current = error; current && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    const { code, name } = current as { code?: string; name?: string };
    if (code === 'ECONNREFUSED' || name === 'ECONNREFUSED') return true;
    if (current instanceof AggregateError && current.errors.some(isConnectionRefused)) return true;
  }
  return false;
};

/**
 * For `serverless invoke local` only: when the local stack's SQS is not running, answer with what would have
 * been queued instead of failing, so a sample can be tried with nothing else started.
 */
export const withDryRunWhenOffline =
  (enqueue: Enqueue, log: Log): Enqueue =>
  async (messages) => {
    try {
      return await enqueue(messages);
    } catch (error) {
      if (!isConnectionRefused(error)) throw error;
      log.warn('local SQS is not running: showing what would have been queued (start it with npm start)');
      return {
        queued: 0,
        dryRun: true,
        messages: messages.map((message) => JSON.parse(message.body) as unknown),
      };
    }
  };
