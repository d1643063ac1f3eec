import * as v from 'valibot';
import { DEFAULT_ENQUEUE_BUDGET_MS, MAX_ENQUEUE_BUDGET_MS } from './queue/retry';
import { DEFAULT_DYNAMODB_PORT, DEFAULT_STATE_DIR } from './state/table';

const flag = v.pipe(
  v.optional(v.string(), ''),
  v.transform((value) => ['1', 'true', 'yes'].includes(value.toLowerCase())),
);
const integer = (fallback: number, min: number, max: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.transform(Number),
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );
const optionalUrl = v.optional(v.pipe(v.string(), v.url('must be a URL')));

/**
 * API Gateway invokes a function synchronously, and Lambda takes at most 6 MB (6,291,456 bytes) of event JSON:
 * the body plus headers and request context. API Gateway base64-encodes a body it does not treat as text,
 * which grows it by 4/3. A 4 MiB body stays under the limit either way: 5.6 MB as base64, and as text even
 * when JSON escaping (`"` → `\"`) grows it by 45%; real payloads grow by 7-12%. A body past ~6 MB never
 * reaches Vigil, so a larger setting cannot raise the limit in AWS.
 */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Lambda's own ceiling: above it no request reaches a function, so a larger MAX_BODY_BYTES would mislead. */
const LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

const Environment = v.object({
  /** Set by `serverless invoke local` (IS_LOCAL) and by the local stack (VIGIL_LOCAL). Never set in AWS. */
  IS_LOCAL: flag,
  VIGIL_LOCAL: flag,
  QUEUE_URL: optionalUrl,
  DLQ_URL: optionalUrl,
  /** The state table (ledger and conversations). */
  STATE_TABLE: v.optional(v.string()),
  /**
   * Local runs only: a DynamoDB server someone else runs (DynamoDB Local, LocalStack, a proxy). Unset, the
   * local stack embeds its own on DYNAMODB_PORT (8000) and local runs use that.
   */
  DYNAMODB_ENDPOINT: optionalUrl,
  DYNAMODB_PORT: integer(DEFAULT_DYNAMODB_PORT, 0, 65_535),
  /** The local stack persists its state table here (LevelDB). */
  VIGIL_STATE_DIR: v.optional(v.pipe(v.string(), v.minLength(1, 'must name a directory')), DEFAULT_STATE_DIR),
  VIGIL_SECRET_ID: v.optional(v.string()),
  AWS_REGION: v.optional(v.string(), 'us-east-1'),
  MAX_BODY_BYTES: integer(DEFAULT_MAX_BODY_BYTES, 1024, LAMBDA_PAYLOAD_BYTES),
  /** How far Sentry-Hook-Timestamp and X-Grafana-Alerting-Timestamp may be from this server's clock. */
  WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS: integer(300, 1, 86_400),
  CLIQ_POSTS_PER_MINUTE: integer(20, 1, 600),
  CLIQ_TIMEOUT_MS: integer(10_000, 100, 60_000),
  RETRY_BASE_SECONDS: integer(10, 1, 3600),
  RETRY_MAX_SECONDS: integer(900, 1, 43_200),
  CLIQ_LOCK_SECONDS: integer(600, 1, 43_200),
  /** Ingest: how long SQS throttling is retried inside one request before it answers 503 (GitHub waits 10 s). */
  ENQUEUE_RETRY_BUDGET_MS: integer(DEFAULT_ENQUEUE_BUDGET_MS, 0, MAX_ENQUEUE_BUDGET_MS),
  /**
   * GitHub's REST API, where failed webhook deliveries are listed and redelivered; https, or http to a
   * loopback stand-in, since the token travels with every request.
   */
  GITHUB_API_URL: v.optional(
    v.pipe(
      v.string(),
      v.url('must be a URL'),
      v.check(
        (value) =>
          value.startsWith('https://') ||
          /^http:\/\/(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?(\/|$)/.test(value),
        'must be an https:// URL (http:// only for a loopback stand-in): the GitHub token is sent to it',
      ),
    ),
    'https://api.github.com',
  ),
  /** How far back each run looks for failed GitHub deliveries (GitHub keeps them 3 days). */
  GITHUB_REDELIVER_WINDOW_MINUTES: integer(180, 5, 4320),
  DIGEST_AFTER: v.optional(
    v.pipe(
      v.string(),
      v.transform(Number),
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(1, 'must be at least 1'),
    ),
  ),
});

export interface Config {
  /** Local runs: development secrets, preview mode, loopback SQS. */
  readonly local: boolean;
  readonly queueUrl: string | undefined;
  readonly dlqUrl: string | undefined;
  /** The DynamoDB table of the delivery ledger and conversations. */
  readonly stateTable: string | undefined;
  /** Local runs: where the state table is served (DYNAMODB_ENDPOINT, else loopback on DYNAMODB_PORT). */
  readonly dynamodbEndpoint: string;
  /** DYNAMODB_ENDPOINT is set: the local stack uses that server and embeds none. */
  readonly externalDynamodb: boolean;
  /** Local stack: the embedded DynamoDB's port and the directory its items persist in. */
  readonly dynamodbPort: number;
  readonly stateDir: string;
  readonly secretId: string | undefined;
  readonly region: string;
  readonly maxBodyBytes: number;
  /** Signed timestamps further than this from now are refused as replays (or a wrong clock). */
  readonly timestampToleranceSeconds: number;
  readonly postsPerMinute: number;
  readonly cliqTimeoutMs: number;
  readonly retry: { readonly baseSeconds: number; readonly maxSeconds: number; readonly lockSeconds: number };
  /** Events waiting for one channel in a batch beyond which they are merged into digests (`auto`). */
  readonly digestAfter: number | undefined;
  /** Ingest: how long a throttled queue is retried inside one request. */
  readonly enqueueBudgetMs: number;
  /** The redelivery job: GitHub's API base URL and how far back a run looks. */
  readonly githubApiUrl: string;
  readonly redeliverWindowMinutes: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once; a bad value fails at start with the name of the key. */
export const loadConfig = (env: Readonly<Record<string, string | undefined>> = process.env): Config => {
  const parsed = v.safeParse(Environment, env);
  if (!parsed.success) {
    const problems = parsed.issues.map((issue) => `${v.getDotPath(issue) ?? 'environment'} ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.output;
  return {
    local: e.IS_LOCAL || e.VIGIL_LOCAL,
    queueUrl: e.QUEUE_URL,
    dlqUrl: e.DLQ_URL,
    stateTable: e.STATE_TABLE === '' ? undefined : e.STATE_TABLE,
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${e.DYNAMODB_PORT}`,
    externalDynamodb: e.DYNAMODB_ENDPOINT !== undefined,
    dynamodbPort: e.DYNAMODB_PORT,
    stateDir: e.VIGIL_STATE_DIR,
    secretId: e.VIGIL_SECRET_ID === '' ? undefined : e.VIGIL_SECRET_ID,
    region: e.AWS_REGION,
    maxBodyBytes: e.MAX_BODY_BYTES,
    timestampToleranceSeconds: e.WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS,
    postsPerMinute: e.CLIQ_POSTS_PER_MINUTE,
    cliqTimeoutMs: e.CLIQ_TIMEOUT_MS,
    retry: {
      baseSeconds: e.RETRY_BASE_SECONDS,
      maxSeconds: e.RETRY_MAX_SECONDS,
      lockSeconds: e.CLIQ_LOCK_SECONDS,
    },
    digestAfter: e.DIGEST_AFTER,
    enqueueBudgetMs: e.ENQUEUE_RETRY_BUDGET_MS,
    githubApiUrl: e.GITHUB_API_URL.replace(/\/+$/, ''),
    redeliverWindowMinutes: e.GITHUB_REDELIVER_WINDOW_MINUTES,
  };
};

export const requireKey = <T>(value: T | undefined, key: string): T => {
  if (value === undefined) throw new ConfigError(`${key} is not set`);
  return value;
};
