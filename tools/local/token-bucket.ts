/**
 * A token bucket as API Gateway throttles with it (API Gateway Developer Guide, "Throttling requests to your
 * HTTP API": a token counts for a request; the burst is the bucket's maximum size, the rate how many tokens a
 * second refill it). The bucket starts full, so an idle API takes a whole burst at once.
 */
export interface TokenBucket {
  /** Whether a token is there at `now` (epoch ms), taking none. */
  has(now?: number): boolean;
  /** Takes a token for one request at `now` (epoch ms); false when the bucket is empty. */
  take(now?: number): boolean;
}

export interface BucketLimits {
  /** Tokens a second (ThrottlingRateLimit). */
  readonly rate: number;
  /** The bucket's size (ThrottlingBurstLimit). */
  readonly burst: number;
}

export const tokenBucket = ({ rate, burst }: BucketLimits, start = Date.now()): TokenBucket => {
  let tokens = burst;
  let at = start;
  const refill = (now: number) => {
    tokens = Math.min(burst, tokens + (Math.max(0, now - at) * rate) / 1000);
    at = Math.max(at, now);
  };
  return {
    has(now = Date.now()) {
      refill(now);
      return tokens >= 1;
    },
    take(now = Date.now()) {
      refill(now);
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
};

/** Takes from every bucket or from none: a request API Gateway throttles at one level uses no token at another. */
export const allBuckets = (buckets: readonly TokenBucket[]): TokenBucket => ({
  has: (now = Date.now()) => buckets.every((bucket) => bucket.has(now)),
  take(now = Date.now()) {
    if (!buckets.every((bucket) => bucket.has(now))) return false;
    for (const bucket of buckets) bucket.take(now);
    return true;
  },
});
