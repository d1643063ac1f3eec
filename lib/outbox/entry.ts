import * as v from 'valibot';

/**
 * One event waiting for its owner's next post slot: the queued message exactly as SQS carried it (validated
 * again when it is sent, like any queued body), and what the engine knows about its wait.
 */
export const OutboxEntry = v.object({
  /** Arrival order within the owner: each subject's events go out in this order. */
  seq: v.number(),
  /** The SQS message that carried it in (logs, and the DLQ's deduplication). */
  messageId: v.string(),
  body: v.string(),
  /** When it entered the outbox (epoch ms). */
  arrivedAt: v.number(),
  /** Not to be posted before this (epoch ms): a hold window's end or a digest period's. */
  notBefore: v.optional(v.number()),
  /** Why it is held, when it is (released with the other held events, as one digest). */
  held: v.optional(v.string()),
  /** Failed tries so far (as SQS's receive count, less one). */
  attempts: v.number(),
});
export type OutboxEntry = v.InferOutput<typeof OutboxEntry>;

/** An owner's outbox: where its chunks are and what holds the whole owner back. */
export const OutboxHead = v.object({
  v: v.literal(1),
  nextSeq: v.number(),
  /** Bumped at every save: new chunks get new names, so a crash mid-save leaves the old ones whole. */
  generation: v.number(),
  chunks: v.array(v.string()),
  /** The owner waits until then: a retry's backoff after a failed post (epoch ms). */
  retryAt: v.optional(v.number()),
  /** Cliq's rate-limit lock on the owner, as far as Vigil knows (epoch ms). */
  lockedUntil: v.optional(v.number()),
  /** When a tick was last put in the owner's queue, so a burst queues one, not one per batch (epoch ms). */
  tickQueuedAt: v.optional(v.number()),
});
export type OutboxHead = v.InferOutput<typeof OutboxHead>;

export const Chunk = v.object({ v: v.literal(1), entries: v.array(OutboxEntry) });

export const emptyHead = (): OutboxHead => ({ v: 1, nextSeq: 1, generation: 0, chunks: [] });
