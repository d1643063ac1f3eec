import type { DeliveryResult } from '../cliq/deliver';
import { backoffSeconds } from '../delivery/backoff';
import { lockSeconds } from './lock-seconds';

/** What the retry policy needs to know about a record and the sender's settings. */
export interface Attempt {
  /** SQS's ApproximateReceiveCount of the record that carries the post. */
  readonly receiveCount: number;
  /**
   * The fewest receives among the records whose events the post carries (a digest carries several). The post
   * is on its last receive only when every one of them is: a record received for the first time in the batch
   * of one that has failed 24 times is not dead-lettered with it.
   */
  readonly fewestReceives?: number;
  /** The queue's redrive count; undefined leaves dead-lettering on the last receive to SQS. */
  readonly maxReceiveCount?: number | undefined;
  readonly retry: { readonly baseSeconds: number; readonly maxSeconds: number; readonly lockSeconds: number };
  /** One pacing interval, in seconds: the least a lock holds an owner. */
  readonly pacingSeconds: number;
}

/**
 * What to do about one post. `wait`: Cliq's lock still holds the owner, so do not post now (it would only
 * extend the lock). `locked`: Cliq has just locked the owner, so hold it `seconds`. `retry`: a passing
 * failure, so try again after the backoff. `exhausted`: a failure worth retrying, but on the record's last
 * receive. `refused`: Cliq refused the post for good.
 */
export type Decision =
  | { readonly kind: 'post' }
  | { readonly kind: 'delivered' }
  | { readonly kind: 'wait'; readonly seconds: number; readonly lastReceive: boolean }
  | { readonly kind: 'locked'; readonly seconds: number; readonly lastReceive: boolean }
  | { readonly kind: 'retry'; readonly seconds: number }
  | { readonly kind: 'exhausted' }
  | { readonly kind: 'refused'; readonly formatterBug: boolean };

/**
 * On its last receive a failed record would go to the DLQ through SQS's redrive, and it would take with it
 * every record of its group behind it in the batch (each receive counts, tried or not). Dead-lettering it in
 * the sender instead lets the rest of the group through now.
 */
export const isLastReceive = (
  attempt: Pick<Attempt, 'receiveCount' | 'fewestReceives' | 'maxReceiveCount'>,
): boolean =>
  attempt.maxReceiveCount !== undefined &&
  Math.min(attempt.receiveCount, attempt.fewestReceives ?? attempt.receiveCount) >= attempt.maxReceiveCount;

/** Before posting: whether Cliq's rate-limit lock on the owner (`lockedFor` seconds left) forbids it. */
export const beforePost = (lockedFor: number, attempt: Attempt): Decision =>
  lockedFor > 0
    ? { kind: 'wait', seconds: lockedFor, lastReceive: isLastReceive(attempt) }
    : { kind: 'post' };

/** After posting: delivered, or which failure it was and what follows (pure: the record handler does the I/O). */
export const afterPost = (result: DeliveryResult, attempt: Attempt): Decision => {
  if (result.ok) return { kind: 'delivered' };
  if (result.throttled) {
    const seconds = lockSeconds(result.retryAfterSeconds ?? attempt.retry.lockSeconds, attempt.pacingSeconds);
    return { kind: 'locked', seconds, lastReceive: isLastReceive(attempt) };
  }
  if (result.transient) {
    if (isLastReceive(attempt)) return { kind: 'exhausted' };
    return {
      kind: 'retry',
      seconds: backoffSeconds(attempt.receiveCount, attempt.retry.baseSeconds, attempt.retry.maxSeconds),
    };
  }
  return { kind: 'refused', formatterBug: result.code === 'input_invalid' || result.status === 400 };
};
