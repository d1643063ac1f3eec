import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Log } from '../log';

export interface FifoEventSourceOptions {
  readonly client: Pick<SQSClient, 'send'>;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
  /** Seconds a failed record stays invisible before SQS offers it again (the queue's visibility timeout). */
  readonly retryAfterSeconds: number;
  readonly maxReceiveCount: number;
  readonly batchSize?: number;
  readonly waitSeconds?: number;
  readonly log: Log;
}

interface Held {
  readonly message: Message;
  readonly group: string;
  /** When this message was first received: receives return a group's messages in send order. */
  readonly order: number;
}

interface Blocked {
  readonly messageId: string;
  readonly visibleAt: number;
  readonly exhausted: boolean;
}

/** Messages in hand stay invisible this long; they are deleted, or released for retry, well before. */
const HOLD_SECONDS = 43_200;

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
 * What Lambda's SQS event source mapping does for a FIFO queue, for the local stack: receive batches, call
 * the handler, delete the records it processed, leave its reported failures for SQS to redeliver (and to
 * dead-letter after maxReceiveCount). It also gives the guarantee real SQS gives and the local server does
 * not: while a message of a group is in flight or waiting for redelivery, later messages of that group are
 * held back, in order, so delivery order per group is kept.
 */
export class FifoEventSource {
  private readonly held = new Map<string, Held>();
  /**
   * First-seen order per message id. local-aws-sqs's SequenceNumber cannot order messages (it loses a digit
   * when its counter gains one, so message 10 sorts before message 9); the order of first receipt can.
   */
  private readonly firstSeen = new Map<string, number>();
  private seen = 0;
  private readonly blocked = new Map<string, Blocked>();
  /** Visibility the handler set itself for records of the running batch (backoff, Cliq's lock), by message id. */
  private readonly visibilitySet = new Map<string, number>();
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

  /** The handler moved a record's next delivery (as the sender does with ChangeMessageVisibility). */
  noteVisibility(messageId: string, seconds: number): void {
    this.visibilitySet.set(messageId, seconds);
  }

  /** True when nothing is held in memory or waiting for SQS to redeliver it. */
  get settled(): boolean {
    return this.held.size === 0 && this.blocked.size === 0;
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

  /** One cycle: receive, release exhausted groups, run one batch. Returns how many records were handled. */
  async pollOnce(): Promise<number> {
    const { client, queueUrl } = this.options;
    const receiveStartedAt = Date.now();
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: this.held.size > 0 ? 0 : (this.options.waitSeconds ?? 1),
        VisibilityTimeout: HOLD_SECONDS,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    for (const message of received.Messages ?? []) this.take(message);
    for (const [group, blocked] of this.blocked) {
      // a retried message that used its last receive moves to the DLQ on the first receive after it is visible
      if (blocked.exhausted && receiveStartedAt > blocked.visibleAt) this.blocked.delete(group);
    }
    const batch = this.nextBatch();
    if (batch.length === 0) return 0;
    await this.runBatch(batch);
    return batch.length;
  }

  private take(message: Message): void {
    const group = message.Attributes?.MessageGroupId ?? '';
    if (this.blocked.get(group)?.messageId === message.MessageId) this.blocked.delete(group);
    const id = message.MessageId ?? '';
    if (!this.firstSeen.has(id)) this.firstSeen.set(id, this.seen++);
    this.held.set(id, { message, group, order: this.firstSeen.get(id) ?? 0 });
  }

  private nextBatch(): Held[] {
    const ready = [...this.held.values()]
      .filter((held) => !this.blocked.has(held.group))
      .sort((a, b) => a.order - b.order);
    return ready.slice(0, this.options.batchSize ?? 10);
  }

  private async runBatch(batch: Held[]): Promise<void> {
    const { client, queueUrl, handler, queueArn, log } = this.options;
    let failedIds: Set<string>;
    try {
      const response = await handler({ Records: batch.map((held) => toRecord(held.message, queueArn)) });
      failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      log.error('local event source: handler threw, the whole batch will be retried', {
        error: (error as Error).message,
      });
      failedIds = new Set(batch.map((held) => held.message.MessageId ?? ''));
    }

    const done = batch.filter((held) => !failedIds.has(held.message.MessageId ?? ''));
    const noted = new Map(this.visibilitySet);
    this.visibilitySet.clear();
    if (done.length > 0) {
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((held, index) => ({
            Id: String(index),
            ReceiptHandle: held.message.ReceiptHandle ?? '',
          })),
        }),
      );
      for (const held of done) {
        this.held.delete(held.message.MessageId ?? '');
        this.firstSeen.delete(held.message.MessageId ?? '');
      }
    }

    // the first failure of each group goes back to SQS; the rest of that group stays in hand, in order
    for (const held of batch) {
      const id = held.message.MessageId ?? '';
      if (!failedIds.has(id) || this.blocked.has(held.group)) continue;
      const { retryAfterSeconds, maxReceiveCount } = this.options;
      // the handler's own visibility (backoff, lock) wins; otherwise the queue's visibility timeout, as on AWS
      const seconds = noted.get(id) ?? retryAfterSeconds;
      if (!noted.has(id)) {
        await client.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: held.message.ReceiptHandle ?? '',
            VisibilityTimeout: seconds,
          }),
        );
      }
      const receives = Number(held.message.Attributes?.ApproximateReceiveCount ?? '1');
      this.blocked.set(held.group, {
        messageId: id,
        visibleAt: Date.now() + seconds * 1000,
        exhausted: receives >= maxReceiveCount,
      });
      this.held.delete(id);
    }
  }
}
