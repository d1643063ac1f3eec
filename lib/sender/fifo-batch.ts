import type { SQSBatchItemFailure, SQSBatchResponse, SQSRecord } from 'aws-lambda';

/**
 * Runs a FIFO batch one record at a time, in the order received, and reports the records to try again
 * (AWS Lambda Developer Guide, "Using Lambda with Amazon SQS": reporting batch item failures). A record
 * whose handler throws or rejects is reported by its message id; so is every later record of its message
 * group, without running it, so SQS hands the group back in order. Other groups carry on. A batch in which
 * every record failed is reported like any other: this never throws.
 */
export const processFifoBatch = async (
  records: readonly SQSRecord[],
  handle: (record: SQSRecord) => Promise<unknown>,
): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchItemFailure[] = [];
  const failedGroups = new Set<string>();
  for (const record of records) {
    // a record without a group (never from a FIFO queue) holds no one back
    const group = record.attributes?.MessageGroupId;
    if (group !== undefined && failedGroups.has(group)) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      await handle(record);
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      if (group) failedGroups.add(group);
    }
  }
  return { batchItemFailures };
};
