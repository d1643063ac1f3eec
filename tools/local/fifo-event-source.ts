import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Log } from '../../lib/log';
import { QUEUE_SETTINGS } from '../../lib/queue/settings';

export interface FifoEventSourceOptions {
  readonly client: Pick<SQSClient, 'send'>;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
  readonly batchSize?: number;
  readonly waitSeconds?: number;
  readonly log: Log;
}

const toRecord = (message: Message, queueArn: string): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: message.Attributes as unknown as SQSRecord['attributes'],
  messageAttributes: Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([key, value]) => [
      key,
      {
        dataType: value.DataType ?? 'String',
        ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      },
    ]),
  ) as SQSRecord['messageAttributes'],
  md5OfBody: message.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: queueArn.split(':')[3] ?? 'us-east-1',
});

/**
 * What Lambda's SQS event source mapping does for a FIFO queue with ReportBatchItemFailures, for the local
 * stack: receive a batch with the queue's own visibility timeout, call the handler, delete the records it
 * processed, and do nothing to the ones it reports as failures. Those come back when their visibility ends:
 * the queue's timeout, or sooner if the handler changed it; SQS dead-letters them after maxReceiveCount
 * (AWS Lambda Developer Guide, "Using Lambda with Amazon SQS": "Handling errors" and "Implementing partial
 * batch responses"). Order within a message group is SQS's own guarantee: the local SQS server returns no
 * message of a group while another of it is in flight, as SQS does (see local-aws-sqs.ts).
 */
export class FifoEventSource {
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: FifoEventSourceOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.pollOnce();
      } catch (error) {
        this.options.log.error('local event source: poll failed', { error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /** One cycle: receive a batch and run it. Returns how many records were handled. */
  async pollOnce(): Promise<number> {
    const { client, queueUrl, queueArn, handler, log } = this.options;
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: this.options.batchSize ?? QUEUE_SETTINGS.senderBatchSize,
        WaitTimeSeconds: this.options.waitSeconds ?? 1,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const batch = received.Messages ?? [];
    if (batch.length === 0) return 0;
    let failedIds: Set<string>;
    try {
      const response = await handler({ Records: batch.map((message) => toRecord(message, queueArn)) });
      failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      log.error('local event source: handler threw, the whole batch will be retried', {
        error: (error as Error).message,
      });
      return batch.length;
    }
    const done = batch.filter((message) => !failedIds.has(message.MessageId ?? ''));
    if (done.length > 0) {
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }
    return batch.length;
  }
}
