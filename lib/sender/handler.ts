import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { planBatch } from '../delivery/plan';
import { createRecordHandler, type SenderDeps } from './handle-record';
import { RecentlyDelivered } from './recently-delivered';

/**
 * The SQS-triggered sender: FIFO partial batch semantics from Powertools. A failed record fails the rest of
 * its own group (order is kept) while other groups, other Cliq owners, carry on. Each batch is planned
 * first: a channel with more events waiting than its budget allows gets digests.
 */
export const createSenderHandler = (deps: SenderDeps) => {
  const recent = new RecentlyDelivered();
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const roles = planBatch(event.Records, deps.digestAfter ?? 3);
    const recordHandler = createRecordHandler(
      deps,
      (record) => roles.get(record.messageId) ?? { kind: 'own' },
      recent,
    );
    const response = await processPartialResponse(event, recordHandler, new SqsFifoPartialProcessorAsync(), {
      ...(context === undefined ? {} : { context }),
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    });
    // the next batch of a group may run in another container: end this one a full spacing after its last post
    await deps.pacer?.settle();
    return response;
  };
};
