import type { SQSRecord } from 'aws-lambda';

/** An SQS record as Lambda's FIFO event source mapping hands it to the sender, on its `receives`th receive. */
export const sqsRecord = (body: string, messageId: string, group = 'cliq-a', receives = 1): SQSRecord =>
  ({
    messageId,
    receiptHandle: `r-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receives),
      MessageGroupId: group,
      MessageDeduplicationId: `d-${messageId}`,
      SequenceNumber: '1',
      SentTimestamp: '0',
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:vigil-events.fifo',
    awsRegion: 'us-east-1',
  }) as SQSRecord;
