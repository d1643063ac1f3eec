/**
 * The FIFO queue's quota on calls, as the embedded SQS applies it to SendMessage and SendMessageBatch.
 *
 * - Amazon SQS Developer Guide, "Troubleshoot FIFO throttling issues": by default a FIFO queue supports 300
 *   transactions a second per API action; requests over it get ThrottlingException.
 * - "Amazon SQS message quotas" (Message throughput, high throughput for FIFO queues): with
 *   DeduplicationScope messageGroup and FifoThroughputLimit perMessageGroupId the quota is the Region's, up
 *   to 70,000 non-batched calls a second in US East (N. Virginia), US West (Oregon) and Europe (Ireland),
 *   19,000 in US East (Ohio) and Europe (Frankfurt), and 2,400 by default in the Regions the page does not
 *   list. The model takes that lowest figure, so no Region is more generous than the local stack.
 *
 * What it does not model: the 300 calls a second of each partition (SQS spreads message groups over
 * partitions by a hash of the group id and adds partitions as traffic grows, which the docs do not specify
 * closely enough to copy), and ReceiveMessage/DeleteMessage, whose callers here (the sender) stay far under
 * 300 a second. A throttled call is not counted against the quota.
 */
export const FIFO_CALLS_PER_SECOND = 300;
export const HIGH_THROUGHPUT_FIFO_CALLS_PER_SECOND = 2_400;

/** The actions the model throttles. */
export const THROTTLED_ACTIONS: readonly string[] = ['SendMessage', 'SendMessageBatch'];

/** Whether a queue with these attributes is in high-throughput mode (both settings, or normal throughput). */
export const isHighThroughput = (attributes: {
  readonly deduplicationScope?: string;
  readonly fifoThroughputLimit?: string;
}): boolean =>
  attributes.deduplicationScope === 'messageGroup' && attributes.fifoThroughputLimit === 'perMessageGroupId';

/** The send quota the model gives a FIFO queue with these attributes, calls a second per action. */
export const sendQuotaFor = (attributes: Parameters<typeof isHighThroughput>[0]): number =>
  isHighThroughput(attributes) ? HIGH_THROUGHPUT_FIFO_CALLS_PER_SECOND : FIFO_CALLS_PER_SECOND;

/**
 * Calls a second per (queue, action): a call is allowed while fewer than `limit(queue)` calls of that action
 * on that queue were allowed in the last 1,000 ms. `limit` undefined leaves a queue unthrottled.
 */
export const callRate = (limit: (queue: string) => number | undefined) => {
  const recent = new Map<string, number[]>();
  let refused = 0;
  return {
    take(queue: string, action: string, now = Date.now()): boolean {
      const quota = limit(queue);
      if (quota === undefined) return true;
      const key = `${queue}\n${action}`;
      const calls = recent.get(key) ?? [];
      while (calls.length > 0 && (calls[0] as number) <= now - 1000) calls.shift();
      recent.set(key, calls);
      if (calls.length >= quota) {
        refused++;
        return false;
      }
      calls.push(now);
      return true;
    },
    /** Calls answered ThrottlingException so far. */
    refused: () => refused,
  };
};

export type CallRate = ReturnType<typeof callRate>;

/**
 * SQS's answer to a throttled call in the JSON protocol the AWS SDK speaks: 400, the query-compatible code in
 * x-amzn-query-error (which the SDK names the error by), and the JSON error body.
 */
export const THROTTLED_ANSWER = {
  status: 400,
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-query-error': 'ThrottlingException;Sender',
  },
  body: JSON.stringify({
    __type: 'com.amazon.coral.availability#ThrottlingException',
    message: 'Rate exceeded',
  }),
} as const;

/** The queue's name in a queue URL (`…/000000000000/vigil-events.fifo`). */
export const queueNameOf = (queueUrl: unknown): string =>
  typeof queueUrl === 'string' ? (queueUrl.split('/').pop() ?? '') : '';
