/**
 * The longest wait the sender asks for. ChangeMessageVisibility takes 0 to 43,200 s (12 hours), and the total
 * visibility counts from the receive, so a value set while the batch runs must leave room for the time the
 * record has already been in flight: at most the sender's timeout (180 s). A request past 12 hours is refused,
 * and the record would come back after the queue's visibility timeout instead of the lock's end.
 */
export const MAX_VISIBILITY_SECONDS = 43_200 - 300;

/**
 * How long to hold an owner after Cliq's rate-limit lock, from its `Retry-After`: never less than one pacing
 * interval (`0` or a date already past would retry at once, into the lock), never more than SQS lets a
 * message stay invisible.
 */
export const lockSeconds = (retryAfterSeconds: number, pacingSeconds: number): number =>
  Math.min(MAX_VISIBILITY_SECONDS, Math.max(Math.ceil(pacingSeconds), Math.ceil(retryAfterSeconds), 1));
