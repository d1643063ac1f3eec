import stages from '../../serverless/throttle.json';
import { allBuckets, type BucketLimits, type TokenBucket, tokenBucket } from './token-bucket';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * API Gateway's account-level throttle, shared by every API of an account in a Region (API Gateway Developer
 * Guide, "Amazon API Gateway quotas": 10,000 requests a second, a bucket of 5,000). A stage's own limits can
 * be no higher; the local stack holds every webhook route to it as well.
 */
export const ACCOUNT_LIMITS: BucketLimits = { rate: 10_000, burst: 5_000 };

/** The stage the local stack stands for; serverless/throttle.json has no entry for it, so it takes `default`. */
export const LOCAL_STAGE = 'local';

const positive = (env: Env, key: string, fallback: number): number => {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0))
    throw new Error(`${key} must be a number above 0 (requests a second or a bucket size), not "${raw}"`);
  return value;
};

/**
 * The HTTP API stage's throttle as serverless.yml resolves it (`custom.throttleRate`/`throttleBurst`):
 * VIGIL_THROTTLE_RATE / VIGIL_THROTTLE_BURST, else the stage's entry in serverless/throttle.json, else its
 * `default`. Throws, naming the variable, on a value API Gateway would refuse.
 */
export const gatewayThrottle = (env: Env, stage = LOCAL_STAGE): BucketLimits => {
  const table = stages as Readonly<Record<string, BucketLimits | undefined>>;
  const own = table[stage] ?? table.default;
  if (own === undefined) throw new Error('serverless/throttle.json has no "default" entry');
  return {
    rate: positive(env, 'VIGIL_THROTTLE_RATE', own.rate),
    burst: positive(env, 'VIGIL_THROTTLE_BURST', own.burst),
  };
};

/**
 * The buckets in front of each webhook route: the stage's DefaultRouteSettings throttle every route on its
 * own (AWS::ApiGatewayV2::Stage RouteSettings), and the account's bucket is shared by all of them. A request
 * either bucket refuses is answered 429 and takes no token from the other. API Gateway calls its throttle a
 * target applied on a best-effort basis; the model applies it exactly.
 */
export const routeThrottles = (
  limits: BucketLimits,
  account: BucketLimits = ACCOUNT_LIMITS,
): ((route: string) => TokenBucket) => {
  const shared = tokenBucket(account);
  const perRoute = new Map<string, TokenBucket>();
  return (route) => {
    let bucket = perRoute.get(route);
    if (bucket === undefined) {
      bucket = allBuckets([tokenBucket(limits), shared]);
      perRoute.set(route, bucket);
    }
    return bucket;
  };
};

/** API Gateway's answer to a throttled request. */
export const TOO_MANY_REQUESTS = { statusCode: 429, body: JSON.stringify({ message: 'Too Many Requests' }) };
