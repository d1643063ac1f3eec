import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createRecordHandler, type SenderDeps } from './handle-record';

/**
 * The SQS-triggered sender: FIFO partial batch semantics from Powertools. A failed record fails the rest of
 * its own group (order is kept) while other groups, other Cliq owners, carry on.
 */
export const createSenderHandler = (deps: SenderDeps) => {
  const recordHandler = createRecordHandler(deps);
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
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
