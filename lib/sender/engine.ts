import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DIGEST_MAX_EVENTS } from '../delivery/digest';
import { planBatch } from '../delivery/plan';
import { summaryChunks } from '../delivery/summary';
import { noCounters } from '../metrics';
import type { OutboxEntry } from '../outbox/entry';
import { joinArrivals } from '../outbox/order';
import { loadOutbox, type Outbox, saveOutbox } from '../outbox/outbox';
import { parseQueuedMessage } from '../queue/queued-message';
import { tickOwner } from '../queue/tick';
import type { OutboxStore } from '../state/outbox-store';
import { parseJsonObject } from '../util/parse-json';
import { isLastReceive } from './after-delivery';
import { createDeadLetterRecords } from './dead-letter-records';
import type { SenderDeps } from './deps';
import { createSenderHandler } from './handler';
import { receiveCount } from './receive-count';
import { unexpectedFailure } from './unexpected';

/** What the outbox needs besides the sender's own dependencies. */
export interface EngineDeps {
  readonly store: OutboxStore;
  /** Puts a tick in the owner's FIFO group (behind what is queued for it now). */
  readonly queueTick: (owner: string) => Promise<void>;
  /** The most posts one call sends for an owner: the pacer sleeps between them, so this bounds the call. */
  readonly maxPosts: number;
  /** The event source's batch size: a full batch says more is queued behind it. */
  readonly batchSize: number;
  /**
   * `serverless invoke local` with no local stack has no state table to read: its batch then goes straight
   * (a preview needs no state). Never in AWS, where an outbox that cannot be read makes SQS retry.
   */
  readonly straightWithoutOutbox?: boolean;
}

/** The most posts one call may send for an owner, from the budget: 4 at Cliq's 20 a minute (9 s of waits). */
export const maxPostsPerCall = (postsPerMinute: number): number =>
  Math.max(2, Math.min(10, Math.floor(postsPerMinute / 5)));

/** A tick queued within this long is still ahead of whatever arrives now. */
const TICK_PENDING_MS = 60_000;

/** Posts a batch's plan needs, as far as it can be told before the conversations are read. */
const postsNeeded = (records: readonly SQSRecord[], autoAfter: number): number => {
  let posts = 0;
  for (const role of planBatch(records, autoAfter).values()) {
    if (role.kind === 'own') posts += 1;
    if (role.kind !== 'lead') continue;
    for (const post of role.posts)
      posts += post.kind === 'single' ? 1 : Math.ceil(post.messages.length / DIGEST_MAX_EVENTS);
  }
  return posts;
};

/** A waiting entry as the SQS record the sender's plan and handlers take (its receive count is its tries). */
const asRecord = (entry: OutboxEntry, owner: string): SQSRecord =>
  ({
    messageId: entry.messageId,
    receiptHandle: `outbox:${entry.seq}`,
    body: entry.body,
    attributes: {
      ApproximateReceiveCount: String(entry.attempts + 1),
      MessageGroupId: owner,
      SentTimestamp: String(entry.arrivedAt),
      SenderId: 'vigil-outbox',
      ApproximateFirstReceiveTimestamp: String(entry.arrivedAt),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: '',
    awsRegion: '',
  }) as SQSRecord;

/** A held event waits until its hold ends, and is then sent with the others held with it, as a digest. */
const holdOf = (body: string): { notBefore: number; held: string } | undefined => {
  const parsed = parseJsonObject(body);
  if (!parsed.ok) return undefined;
  const hold = parsed.value.hold as { until?: unknown; why?: unknown } | undefined;
  const until = typeof hold?.until === 'string' ? Date.parse(hold.until) : Number.NaN;
  return Number.isNaN(until)
    ? undefined
    : { notBefore: until, held: typeof hold?.why === 'string' ? hold.why : 'held' };
};

/** A released held event's body asks for a digest, so what was held together goes out together. */
const released = (entry: OutboxEntry): string => {
  if (entry.held === undefined) return entry.body;
  const parsed = parseQueuedMessage(entry.body);
  return parsed.ok ? JSON.stringify({ ...parsed.value, digest: 'always' }) : entry.body;
};

/**
 * The sender with an outbox in front (issue: the delivery engine). Per owner (one FIFO group, one Cliq
 * user's budget) a batch takes one of two ways:
 * - **direct**, as the sender always did, when nothing waits for the owner, the batch is not full (no more
 *   is queued behind it), nothing in it is held, Cliq's lock is off and its plan fits the posts one call may
 *   send. Failures go back to SQS and its redrive.
 * - **outbox** otherwise: its events join the owner's outbox in the state table, in arrival order, and their
 *   SQS records are deleted. What is due is then sent in as few cards as Cliq's limits allow, when the owner
 *   may post now and no more is queued behind (a partial batch, or a tick); otherwise a tick is put behind
 *   the burst, so its last events go out when it ends. Waits longer than one call (Cliq's lock, a hold, a
 *   retry's backoff) stay in the outbox until the schedule's tick.
 * The ledger keeps every event posted once across both ways and any crash.
 */
export const createEngineHandler = (deps: SenderDeps, engine: EngineDeps) => {
  const now = deps.now ?? Date.now;
  const autoAfter = deps.digestAfter ?? 3;
  const direct = createSenderHandler(deps);
  const deadLetterRecords = createDeadLetterRecords(deps, deps.counters ?? noCounters, now);

  /** Sends what is due in the owner's outbox (at most `maxPosts` cards) and keeps the rest. */
  const flush = async (owner: string, box: Outbox): Promise<Outbox> => {
    const at = now();
    const lockedFor = Math.max(deps.pacer?.lockedFor(owner) ?? 0, ((box.head.lockedUntil ?? 0) - at) / 1000);
    if (lockedFor > 0 || (box.head.retryAt ?? 0) > at) return box;
    const due = box.entries.filter((entry) => (entry.notBefore ?? 0) <= at);
    if (due.length === 0) return box;
    const records = due.map((entry) => ({ ...asRecord(entry, owner), body: released(entry) }));
    let take = records;
    let summarize = postsNeeded(records, autoAfter) > engine.maxPosts;
    if (summarize) {
      // the longest prefix whose summary fits the posts this call may send; the rest waits for the next tick
      const fits = (count: number) =>
        summaryChunks(
          records.slice(0, count).flatMap((record) => {
            const parsed = parseQueuedMessage(record.body);
            return parsed.ok ? [parsed.value.event] : [];
          }),
        ).length <= engine.maxPosts;
      let low = 1;
      let high = records.length;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (fits(middle)) low = middle;
        else high = middle - 1;
      }
      take = records.slice(0, low);
      summarize = take.length > 1;
    }
    const movedOut = new Map<string, number>();
    const response: SQSBatchResponse = await createSenderHandler({
      ...deps,
      summarize,
      changeVisibility: async (record, seconds) => {
        movedOut.set(record.messageId, seconds);
      },
    })({ Records: take });
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    const sent = new Set(take.filter((record) => !failed.has(record.messageId)).map((r) => r.receiptHandle));
    const firstFailed = take.find((record) => failed.has(record.messageId));
    const after = now();
    const lock = deps.pacer?.lockedFor(owner) ?? 0;
    const entries = box.entries
      .filter((entry) => !sent.has(`outbox:${entry.seq}`))
      .map((entry) =>
        take.some((record) => record.receiptHandle === `outbox:${entry.seq}` && failed.has(record.messageId))
          ? { ...entry, attempts: receiveCount(asRecord(entry, owner)) }
          : entry,
      );
    const retrySeconds = firstFailed === undefined ? undefined : movedOut.get(firstFailed.messageId);
    const { chunks: _, generation: __, ...head } = box.head;
    const next = await saveOutbox(
      engine.store,
      owner,
      box,
      {
        ...head,
        ...(retrySeconds === undefined || lock > 0
          ? { retryAt: undefined }
          : { retryAt: after + retrySeconds * 1000 }),
        ...(lock > 0 ? { lockedUntil: after + lock * 1000 } : { lockedUntil: undefined }),
      },
      entries,
    );
    // a flush cut short by the budget goes on at once, behind whatever is queued now
    if (firstFailed === undefined && take.length < records.length) await queueTick(owner, next, true);
    return next;
  };

  const queueTick = async (owner: string, box: Outbox, force = false): Promise<void> => {
    const at = now();
    if (!force && (box.head.tickQueuedAt ?? 0) > at - TICK_PENDING_MS) return;
    await engine.queueTick(owner);
    const { chunks: _, generation: __, ...head } = box.head;
    await saveOutbox(engine.store, owner, box, { ...head, tickQueuedAt: at }, box.entries);
  };

  /** One owner's records of the batch through the outbox; throws to have SQS retry them all. */
  const throughOutbox = async (
    owner: string,
    box: Outbox,
    records: readonly SQSRecord[],
    ticked: boolean,
    full: boolean,
  ): Promise<void> => {
    const at = now();
    let seq = box.head.nextSeq;
    // SQS hands a record out again when the call that took it in failed after the outbox was written (a
    // write that timed out once applied, a failed index write): it is there already, and is not added twice
    const known = new Set(box.entries.map((entry) => entry.messageId));
    const arrived: OutboxEntry[] = records
      .filter((record) => !known.has(record.messageId))
      .map((record) => ({
        seq: seq++,
        messageId: record.messageId,
        body: record.body,
        arrivedAt: at,
        attempts: 0,
        ...holdOf(record.body),
      }));
    const { chunks: _, generation: __, ...head } = box.head;
    let current = box;
    // saved even when every record was there already: what failed after the head may be the index the
    // schedule's tick reads, and without it a held event would never be ticked for
    if (records.length > 0 || ticked) {
      current = await saveOutbox(
        engine.store,
        owner,
        box,
        { ...head, nextSeq: seq, ...(ticked ? { tickQueuedAt: undefined } : {}) },
        joinArrivals(box.entries, arrived, at),
      );
      if (arrived.length > 0)
        deps.log.info('waiting in the outbox', {
          owner,
          events: arrived.length,
          waiting: current.entries.length,
        });
    }
    // nothing more queued behind (a partial batch, or the tick that followed a burst): send what is due now,
    // the pacer sleeping at most one spacing for the next slot; longer waits (a lock, a hold, a backoff) are
    // left to the schedule's tick
    if (!full || ticked) {
      await flush(owner, current);
      return;
    }
    // more is queued behind this batch: take it in too, and send when a tick behind it arrives
    if (current.entries.length > 0) await queueTick(owner, current);
  };

  /**
   * The outbox failed (the state table) for records on their last receive. Reported failed, SQS would move
   * them to the DLQ without a reason (issue 18: every failure on a last receive is dead-lettered by the
   * sender, with one): an event's record is dead-lettered here, `state_unavailable`, for a redrive to post
   * once (the ledger); a tick is let go, since the schedule ticks every owner the outbox index lists. A
   * record the outbox did take before the failure is then posted by its flush, and the redrive finds it in
   * the ledger.
   */
  const lastReceive = async (records: readonly SQSRecord[], error: unknown): Promise<void> => {
    for (const record of records) {
      if (tickOwner(record.body) !== undefined) continue;
      const parsed = parseQueuedMessage(record.body);
      const message = parsed.ok ? parsed.value : undefined;
      const identity = {
        kind: message?.event.kind ?? 'unknown',
        source: message?.event.source ?? 'unknown',
        channel: message?.channel ?? '',
      };
      await deadLetterRecords([{ record, message }], unexpectedFailure(error, identity));
    }
  };

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const byOwner = new Map<string, SQSRecord[]>();
    for (const record of event.Records) {
      const owner = record.attributes.MessageGroupId ?? '';
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), record]);
    }
    const full = event.Records.length >= engine.batchSize;
    const straight: SQSRecord[] = [];
    const failures: { itemIdentifier: string }[] = [];
    for (const [owner, records] of byOwner) {
      const ticks = records.filter((record) => tickOwner(record.body) !== undefined);
      const events = records.filter((record) => tickOwner(record.body) === undefined);
      try {
        const box = await loadOutbox(engine.store, owner);
        const goesStraight =
          ticks.length === 0 &&
          box.entries.length === 0 &&
          !full &&
          (deps.pacer?.lockedFor(owner) ?? 0) === 0 &&
          events.every((record) => holdOf(record.body) === undefined) &&
          postsNeeded(events, autoAfter) <= engine.maxPosts;
        if (goesStraight) straight.push(...events);
        else await throughOutbox(owner, box, events, ticks.length > 0, full);
      } catch (error) {
        if (engine.straightWithoutOutbox === true && ticks.length < records.length) {
          deps.log.warn('no state table to hold an outbox (a local run): the batch goes straight', {
            owner,
            error: (error as Error).name,
          });
          straight.push(...events);
          continue;
        }
        const last = records.filter((record) =>
          isLastReceive({ receiveCount: receiveCount(record), maxReceiveCount: deps.maxReceiveCount }),
        );
        deps.log.error('the outbox could not take the batch: SQS will retry it', {
          owner,
          error: (error as Error).name,
          detail: (error as Error).message,
          lastReceive: last.length,
        });
        await lastReceive(last, error);
        failures.push(
          ...records
            .filter((record) => !last.includes(record))
            .map((record) => ({ itemIdentifier: record.messageId })),
        );
      }
    }
    if (straight.length > 0) {
      const response = await direct({ Records: straight });
      failures.push(...response.batchItemFailures);
    } else {
      await deps.pacer?.settle();
    }
    return { batchItemFailures: failures };
  };
};
