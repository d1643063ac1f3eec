/** SQS's ceiling for a message's visibility timeout (ChangeMessageVisibility: 0 to 43,200 s, 12 hours). */
export const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * How long to hold an owner after Cliq's rate-limit lock, from its `Retry-After`: never less than one pacing
 * interval (`0` or a date already past would retry at once, into the lock), never more than SQS lets a
 * message stay invisible.
 */
export const lockSeconds = (retryAfterSeconds: number, pacingSeconds: number): number =>
  Math.min(MAX_VISIBILITY_SECONDS, Math.max(Math.ceil(pacingSeconds), Math.ceil(retryAfterSeconds), 1));
