import type { DeliveryResult } from '../../lib/cliq/deliver';
import { type Attempt, afterPost, beforePost } from '../../lib/sender/after-delivery';

const attempt = (receiveCount: number): Attempt => ({
  receiveCount,
  maxReceiveCount: 25,
  retry: { baseSeconds: 10, maxSeconds: 900, lockSeconds: 600 },
  pacingSeconds: 3,
});

const failed = (fields: Partial<DeliveryResult & { ok: false }>): DeliveryResult => ({
  ok: false,
  transient: false,
  throttled: false,
  message: 'failed',
  ...fields,
});

describe('the retry policy after a post', () => {
  it('calls a delivered post delivered', () => {
    expect(afterPost({ ok: true, status: 200 }, attempt(1))).toEqual({ kind: 'delivered' });
  });

  // Zoho Cliq REST API, rate limits: a locked user gets 429 with Retry-After; AWS SQS API Reference,
  // ChangeMessageVisibility: a visibility timeout is 0 to 43,200 seconds
  it("holds the owner for Cliq's Retry-After, at least one pacing interval and at most 12 hours", () => {
    const throttled = (retryAfterSeconds?: number) =>
      afterPost(
        failed({
          transient: true,
          throttled: true,
          status: 429,
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        }),
        attempt(2),
      );
    expect(throttled(120)).toEqual({ kind: 'locked', seconds: 120, lastReceive: false });
    expect(throttled(0)).toEqual({ kind: 'locked', seconds: 3, lastReceive: false });
    expect(throttled(100_000)).toEqual({ kind: 'locked', seconds: 43_200 - 300, lastReceive: false });
    expect(throttled()).toEqual({ kind: 'locked', seconds: 600, lastReceive: false });
  });

  it('backs a passing failure off by its receive count, and dead-letters it on the last receive instead', () => {
    const down = failed({ transient: true, status: 503 });
    // exponential from 10 s with equal jitter: half the ceiling fixed, half random
    const seconds = (receive: number) => {
      const decision = afterPost(down, attempt(receive));
      return decision.kind === 'retry' ? decision.seconds : -1;
    };
    expect(seconds(1)).toBeGreaterThanOrEqual(5);
    expect(seconds(1)).toBeLessThanOrEqual(10);
    expect(seconds(4)).toBeGreaterThanOrEqual(40);
    expect(seconds(4)).toBeLessThanOrEqual(80);
    expect(afterPost(down, attempt(25))).toEqual({ kind: 'exhausted' });
    // without a known redrive count, SQS's redrive decides
    expect(afterPost(down, { ...attempt(99), maxReceiveCount: undefined }).kind).toBe('retry');
  });

  it('marks a lock on the last receive so the record is dead-lettered, not held', () => {
    expect(afterPost(failed({ transient: true, throttled: true, status: 429 }), attempt(25))).toMatchObject({
      kind: 'locked',
      lastReceive: true,
    });
  });

  it('tells a message Cliq refused as invalid (a formatter bug) from any other refusal', () => {
    expect(afterPost(failed({ status: 400 }), attempt(1))).toEqual({ kind: 'refused', formatterBug: true });
    expect(afterPost(failed({ code: 'input_invalid' }), attempt(1))).toEqual({
      kind: 'refused',
      formatterBug: true,
    });
    expect(afterPost(failed({ status: 404 }), attempt(1))).toEqual({ kind: 'refused', formatterBug: false });
  });

  it('does not post while a lock holds the owner, and posts once it has lifted', () => {
    expect(beforePost(40, attempt(3))).toEqual({ kind: 'wait', seconds: 40, lastReceive: false });
    expect(beforePost(40, attempt(25))).toEqual({ kind: 'wait', seconds: 40, lastReceive: true });
    expect(beforePost(0, attempt(3))).toEqual({ kind: 'post' });
  });
});
