import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { planBatch, soloRole } from '../delivery/plan';
import type { SenderDeps } from './deps';
import { processFifoBatch } from './fifo-batch';
import { createRecordHandler } from './handle-record';
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
    const response = await processFifoBatch(event.Records, recordHandler).finally(() =>
      deps.counters?.flush(),
    );
    await releaseSkipped(event.Records, response, movedOut, deps);
    // the next batch of a group may run in another container: end this one a full spacing after its last post
    await deps.pacer?.settle();
    return response;
  };
};
