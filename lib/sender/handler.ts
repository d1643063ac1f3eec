import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { planBatch, soloRole } from '../delivery/plan';
import type { SenderDeps } from './deps';
import { processFifoBatch } from './fifo-batch';
import { createRecordHandler } from './handle-record';
import { TransientDeliveryError } from './post';
import { RecentlyDelivered } from './recently-delivered';
import { releaseSkipped } from './release-skipped';

/**
 * The SQS-triggered sender: FIFO partial batch responses (fifo-batch.ts). A failed record fails the rest of
 * its own group (order is kept) while other groups, other Cliq owners, carry on. Each batch is planned
 * first: a channel with more events waiting than its budget allows gets digests.
 */
export const createSenderHandler = (deps: SenderDeps) => {
  const recent = new RecentlyDelivered();
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const roles = planBatch(event.Records, deps.digestAfter ?? 3);
    // the visibility each failed record was given (its backoff, or Cliq's lock), by message id
    const movedOut = new Map<string, number>();
    const recordHandler = createRecordHandler(
      {
        ...deps,
        changeVisibility: async (record, seconds) => {
          await deps.changeVisibility?.(record, seconds);
          movedOut.set(record.messageId, seconds);
        },
      },
      (record) => roles.get(record.messageId) ?? soloRole(record),
      recent,
    );
    const handle = (record: (typeof event.Records)[number]) =>
      recordHandler(record).catch((error: unknown) => {
        // a Cliq failure or lock was handled by the retry policy (post.ts), which moved the record out;
        // anything else (the state table, Secrets Manager, a bug) is said here, or the record would wait out
        // the queue's visibility timeout unexplained
        if (!(error instanceof TransientDeliveryError)) {
          const failure = error instanceof Error ? error : new Error(String(error));
          deps.log.error('record failed unexpectedly: SQS retries it after the visibility timeout', {
            messageId: record.messageId,
            receiveCount: record.attributes.ApproximateReceiveCount,
            error: failure.name,
            detail: failure.message,
          });
        }
        throw error;
      });
    const response = await processFifoBatch(event.Records, handle).finally(() => deps.counters?.flush());
    await releaseSkipped(event.Records, response, movedOut, deps);
    // the next batch of a group may run in another container: end this one a full spacing after its last post
    await deps.pacer?.settle();
    return response;
  };
};
