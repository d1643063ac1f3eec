import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { backoffSeconds } from '../delivery/backoff';
import { planBatch, soloRole } from '../delivery/plan';
import type { SenderDeps } from './deps';
import { processFifoBatch } from './fifo-batch';
import { createRecordHandler } from './handle-record';
import { DEFAULT_RETRY, TransientDeliveryError } from './post';
import { receiveCount } from './receive-count';
import { RecentlyDelivered } from './recently-delivered';
import { releaseSkipped } from './release-skipped';

/**
 * Logs a record that failed for a reason other than Cliq, and gives it the retry policy's backoff. When
 * every record its post carries is on its last receive, handle-record.ts has dead-lettered them with the
 * reason instead; one that still gets here then (the DLQ failed too) is moved by SQS's redrive.
 */
const failedUnexpectedly =
  (deps: SenderDeps) =>
  async (
    record: SQSRecord,
    error: unknown,
    changeVisibility: (record: SQSRecord, seconds: number) => Promise<void>,
  ): Promise<void> => {
    const failure = error instanceof Error ? error : new Error(String(error));
    const retry = deps.retry ?? DEFAULT_RETRY;
    const receives = receiveCount(record);
    const seconds = backoffSeconds(receives, retry.baseSeconds, retry.maxSeconds);
    deps.log.error('record failed unexpectedly: will retry', {
      messageId: record.messageId,
      receiveCount: receives,
      retryInSeconds: seconds,
      error: failure.name,
      detail: failure.message,
    });
    try {
      await changeVisibility(record, seconds);
    } catch (cause) {
      deps.log.warn('could not move the failed record out: it waits for the queue', {
        messageId: record.messageId,
        error: (cause as Error).message,
      });
    }
  };

/**
 * The SQS-triggered sender: FIFO partial batch responses (fifo-batch.ts). A failed record fails the rest of
 * its own group (order is kept) while other groups, other Cliq owners, carry on. Each batch is planned
 * first: a channel with more events waiting than its budget allows gets digests.
 */
export const createSenderHandler = (deps: SenderDeps) => {
  const recent = new RecentlyDelivered();
  const unexpected = failedUnexpectedly(deps);
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const roles = planBatch(event.Records, deps.digestAfter ?? 3, deps.summarize === true);
    // the visibility each failed record was given (its backoff, or Cliq's lock), by message id
    const movedOut = new Map<string, number>();
    const changeVisibility = async (record: SQSRecord, seconds: number) => {
      await deps.changeVisibility?.(record, seconds);
      movedOut.set(record.messageId, seconds);
    };
    const recordHandler = createRecordHandler(
      { ...deps, changeVisibility },
      (record) => roles.get(record.messageId) ?? soloRole(record),
      recent,
    );
    const handle = (record: SQSRecord) =>
      recordHandler(record).catch(async (error: unknown) => {
        // a Cliq failure or lock was handled by the retry policy (post.ts), which moved the record out;
        // anything else (the state table, Secrets Manager, a bug) is said here and backs off as a Cliq 5xx
        // would, instead of holding its group for the queue's whole visibility timeout
        if (!(error instanceof TransientDeliveryError)) await unexpected(record, error, changeVisibility);
        throw error;
      });
    const response = await processFifoBatch(event.Records, handle).finally(() => deps.counters?.flush());
    await releaseSkipped(event.Records, response, movedOut, deps);
    // the next batch of a group may run in another container: end this one a full spacing after its last post
    await deps.pacer?.settle();
    return response;
  };
};
