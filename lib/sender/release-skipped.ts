import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { SenderDeps } from './deps';

/**
 * After a FIFO batch, gives the records that were skipped behind a failed one the failed record's own
 * visibility. fifo-batch.ts reports every record after a failure in its group as failed without running it;
 * Lambda leaves reported failures alone, so SQS would keep them invisible for the queue's whole visibility
 * timeout (18 minutes) while the failed record comes back after its backoff, and the group, one Cliq
 * owner, would stall that long (AWS Lambda Developer Guide, "Using Lambda with Amazon SQS": a reported
 * failure becomes visible again when its visibility timeout ends). A group whose failed record could not be
 * moved out keeps the queue's timeout.
 */
export const releaseSkipped = async (
  records: readonly SQSRecord[],
  response: SQSBatchResponse,
  movedOut: ReadonlyMap<string, number>,
  deps: Pick<SenderDeps, 'changeVisibility' | 'log'>,
): Promise<void> => {
  const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
  const groups = new Map<string, number | undefined>();
  for (const record of records) {
    if (!failed.has(record.messageId)) continue;
    const group = record.attributes.MessageGroupId ?? '';
    if (!groups.has(group)) {
      // the group's first failure ran: it set its own visibility, or left the queue's
      groups.set(group, movedOut.get(record.messageId));
      continue;
    }
    const seconds = groups.get(group);
    if (seconds === undefined || movedOut.has(record.messageId)) continue;
    try {
      await deps.changeVisibility?.(record, seconds);
    } catch (error) {
      deps.log.warn('could not bring a skipped record back with the failed one: it waits for the queue', {
        messageId: record.messageId,
        error: (error as Error).message,
      });
    }
  }
};
