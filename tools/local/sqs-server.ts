import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QUEUE_SETTINGS, type QueueSettings } from '../../lib/queue/settings';
import { MAX_MESSAGE_BYTES } from '../../lib/queue/size';
import { queueArn } from '../sqs/queue-attributes';
import { startEmbeddedSqs } from './sqs-size-guard';
import { callRate, FIFO_CALLS_PER_SECOND, sendQuotaFor } from './sqs-throttle';

export const LOCAL_ACCOUNT = '000000000000';
export const QUEUE_NAME = 'vigil-events.fifo';
export const DLQ_NAME = 'vigil-events-dlq.fifo';

export interface LocalQueues {
  readonly server: Server;
  readonly endpoint: string;
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string;
  /** SendMessage/SendMessageBatch calls the queues' call quota answered with ThrottlingException so far. */
  throttledCalls(): number;
}

export interface LocalQueueOptions extends Partial<QueueSettings> {
  readonly port: number;
  readonly host: string;
  /**
   * The events queue's quota on send calls a second, per action; by default its mode's
   * (tools/local/sqs-throttle.ts). Tests set a tiny one to see throttling; Infinity turns the model off.
   */
  readonly sendCallsPerSecond?: number;
}

/**
 * Starts the embedded SQS server (the real SQS wire protocol, with SQS's byte limits on message size and its
 * FIFO call quotas) and creates the same FIFO queue (in the same throughput mode), FIFO DLQ,
 * MaximumMessageSize and redrive policy as serverless.yml declares for AWS, from the same settings
 * (serverless/queue.json). Only tests of the server itself pass other settings.
 */
export const startLocalQueues = async (options: LocalQueueOptions): Promise<LocalQueues> => {
  const settings = { ...QUEUE_SETTINGS, ...options };
  const { visibilityTimeoutSeconds, maxReceiveCount } = settings;
  const eventsQuota = options.sendCallsPerSecond ?? sendQuotaFor(settings);
  // the DLQ is a FIFO queue at normal throughput (serverless.yml sets no mode on it)
  const quotas = new Map([
    [QUEUE_NAME, eventsQuota],
    [DLQ_NAME, FIFO_CALLS_PER_SECOND],
  ]);
  const calls = callRate((queue) => {
    const quota = quotas.get(queue);
    return quota === undefined || quota === Number.POSITIVE_INFINITY ? undefined : quota;
  });
  const server = await startEmbeddedSqs({
    port: options.port,
    host: options.host,
    accountId: LOCAL_ACCOUNT,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    callRate: calls,
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${options.host}:${port}`;
  const client = new SQSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const fifo = {
    FifoQueue: 'true',
    MessageRetentionPeriod: '1209600',
    MaximumMessageSize: String(MAX_MESSAGE_BYTES),
  };
  const dlq = await client.send(new CreateQueueCommand({ QueueName: DLQ_NAME, Attributes: fifo }));
  const dlqArn = await queueArn(client, dlq.QueueUrl ?? '');
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: QUEUE_NAME,
      Attributes: {
        ...fifo,
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        DeduplicationScope: settings.deduplicationScope,
        FifoThroughputLimit: settings.fifoThroughputLimit,
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  );
  return {
    server,
    endpoint,
    client,
    queueUrl: queue.QueueUrl ?? '',
    queueArn: await queueArn(client, queue.QueueUrl ?? ''),
    dlqUrl: dlq.QueueUrl ?? '',
    throttledCalls: calls.refused,
  };
};
