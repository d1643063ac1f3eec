import type { SQSRecord } from 'aws-lambda';

/**
 * How many times SQS has handed out this record, this receive included (its ApproximateReceiveCount); a record
 * without one counts as on its first receive.
 */
export const receiveCount = (record: SQSRecord): number =>
  Number(record.attributes.ApproximateReceiveCount ?? '1');
