/**
 * How ingest retries SQS inside one request. GitHub waits 10 s for an answer and never redelivers a refused
 * webhook, so a throttled queue is retried here, with full-jitter exponential backoff (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"), and only a queue still refusing when the budget runs out is answered
 * with 503. The budget counts from the first send, so the answer always leaves before the source gives up.
 */
export interface EnqueueRetry {
  /** The most time the sends of one request may take, retries and waits included. */
  readonly budgetMs: number;
  /** The first wait's ceiling; each retry doubles it up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter. */
  readonly random: () => number;
}

/** 6 s of retries leaves GitHub's 10-second wait 4 s for verifying, routing and the answer. */
export const DEFAULT_ENQUEUE_BUDGET_MS = 6_000;

/**
 * The ingest Lambdas time out after 10 s (`provider.timeout`): a budget above 7 s would leave too little for
 * reading the secret, verifying and answering, and a Lambda that times out answers 502 to a queued event.
 */
export const MAX_ENQUEUE_BUDGET_MS = 7_000;

export const defaultEnqueueRetry = (budgetMs = DEFAULT_ENQUEUE_BUDGET_MS): EnqueueRetry => ({
  budgetMs,
  baseDelayMs: 50,
  maxDelayMs: 1_000,
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
});

/** Codes SQS answers when a queue or the account is over its request rate (AWS JSON and query protocols). */
const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'RequestThrottled',
  'AWS.SimpleQueueService.RequestThrottled',
  'TooManyRequestsException',
]);

/** An SQS answer worth another try: throttling, a 5xx, or a send that timed out or lost its connection. */
export const isRetryableSqsError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $metadata, $fault } = error as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $fault?: unknown;
  };
  if (typeof name === 'string' && THROTTLING_CODES.has(name)) return true;
  const status = $metadata?.httpStatusCode;
  if (typeof status === 'number') return status === 429 || status >= 500;
  if ($fault === 'server') return true;
  // no answer at all; a refused connection is left alone: nothing listens there (the local dry run needs it)
  return (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === 'EPIPE'
  );
};

/** A failed entry of a SendMessageBatch answer worth another try: throttled, or SQS's own fault. */
export const isRetryableEntry = (entry: {
  readonly Code?: string | undefined;
  readonly SenderFault?: boolean | undefined;
}): boolean => entry.SenderFault !== true || (entry.Code !== undefined && THROTTLING_CODES.has(entry.Code));

/** The wait before retry `attempt` (1, 2, …): uniform in [0, min(max, base·2^(attempt-1))). */
export const backoffMs = (retry: EnqueueRetry, attempt: number): number =>
  Math.floor(retry.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)));
