import type { SQSRecord } from 'aws-lambda';
import type { DeliveryResult } from '../cliq/deliver';
import type { CliqMessage } from '../cliq/message';
import type { Counters } from '../metrics';
import { type Attempt, afterPost, beforePost } from './after-delivery';
import type { SenderDeps } from './deps';
import { receiveCount } from './receive-count';

/** Thrown for a failure worth retrying: the batch reports the record and SQS redelivers it. */
export class TransientDeliveryError extends Error {
  override readonly name = 'TransientDeliveryError';
}

/** The retry settings when the wiring gives none (config.ts: RETRY_BASE_SECONDS, RETRY_MAX_SECONDS, CLIQ_LOCK_SECONDS). */
export const DEFAULT_RETRY = { baseSeconds: 10, maxSeconds: 900, lockSeconds: 600 } as const;

export type Poster = (
  url: string,
  owner: string,
  message: CliqMessage,
  lead: SQSRecord,
  carried: readonly SQSRecord[],
  about: Record<string, unknown>,
) => Promise<DeliveryResult>;

/**
 * Cliq posts under the retry policy of after-delivery.ts, for one record handler: waits its turn with the
 * pacer, posts, and does what the policy decides.
 */
export const createPoster = (deps: SenderDeps, counters: Counters): Poster => {
  const { log } = deps;
  const retry = deps.retry ?? DEFAULT_RETRY;
  /** One pacing interval (60 / CLIQ_POSTS_PER_MINUTE, rounded up): the least a lock holds an owner. */
  const pacingSeconds = Math.ceil((deps.pacer?.spacing ?? 1000) / 1000);
  /**
   * One Cliq post. The retry policy (after-delivery.ts) decides; this does what it says: on a failure worth
   * retrying moves `lead` out (backoff or lock) and throws, and returns a failure to dead-letter.
   */
  return async (url, owner, message, lead, carried, about) => {
    const attempt: Attempt = {
      receiveCount: receiveCount(lead),
      fewestReceives: Math.min(receiveCount(lead), ...carried.map(receiveCount)),
      maxReceiveCount: deps.maxReceiveCount,
      retry,
      pacingSeconds,
    };
    const exhausted = (failure: DeliveryResult & { ok: false }, detail: Record<string, unknown>) => {
      log.error('retries exhausted on the last receive: dead-lettered', { ...about, ...detail });
      return failure;
    };
    const before = beforePost(deps.pacer?.lockedFor(owner) ?? 0, attempt);
    if (before.kind === 'wait') {
      const failure = {
        ok: false,
        transient: true,
        throttled: true,
        message: `Cliq's rate-limit lock for this owner had ${before.seconds} s left`,
      } as const;
      if (before.lastReceive) return exhausted(failure, { seconds: before.seconds });
      await deps.changeVisibility?.(lead, before.seconds);
      log.info('Cliq rate-limit lock still holds this owner: not posted, retried when it lifts', {
        ...about,
        seconds: before.seconds,
      });
      throw new TransientDeliveryError(`Cliq's rate-limit lock for this owner has ${before.seconds} s left`);
    }
    await deps.pacer?.beforePost(owner);
    const result = await deps.deliver(url, message);
    if (result.ok) return result;
    const decision = afterPost(result, attempt);
    const failure = { ...about, status: result.status, code: result.code, detail: result.message };
    switch (decision.kind) {
      case 'locked': {
        const { seconds } = decision;
        deps.pacer?.lock(owner, seconds);
        counters.count('locked', String(about.source));
        if (decision.lastReceive) return exhausted(result, { ...failure, seconds });
        await deps.changeVisibility?.(lead, seconds);
        log.warn('Cliq rate-limit lock: holding this owner', { ...failure, seconds });
        throw new TransientDeliveryError(`Cliq locked this owner for ${seconds} s`);
      }
      case 'exhausted':
        return exhausted(result, failure);
      case 'retry':
        counters.count('retried', String(about.source));
        await deps.changeVisibility?.(lead, decision.seconds);
        log.warn('delivery failed, will retry', { ...failure, retryInSeconds: decision.seconds });
        throw new TransientDeliveryError(`Cliq delivery failed: ${result.message}`);
      default:
        if (decision.kind === 'refused' && decision.formatterBug) {
          // Cliq refused the message itself: a formatter bug worth a loud log line
          log.error('Cliq rejected the formatted message: formatter bug', failure);
        } else {
          log.error('Cliq refused the delivery: dead-lettered', failure);
        }
        return result;
    }
  };
};
