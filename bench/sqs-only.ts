/** The reference bundle for init time: only the SQS client an ingest function cannot do without. */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

export const client = new SQSClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
export const command = SendMessageBatchCommand;
