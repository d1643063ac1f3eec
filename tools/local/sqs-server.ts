import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QUEUE_SETTINGS, type QueueSettings } from '../../lib/queue/settings';
import { MAX_MESSAGE_BYTES } from '../../lib/queue/size';
import { queueArn } from '../sqs/queue-attributes';
import { startEmbeddedSqs } from './sqs-size-guard';

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
}

/**
 * Starts the embedded SQS server (the real SQS wire protocol, with SQS's byte limits on message size) and
 * creates the same FIFO queue, FIFO DLQ, MaximumMessageSize and redrive policy as serverless.yml declares for
 * AWS, from the same settings (serverless/queue.json). Only tests of the server itself pass other settings.
 */
export const startLocalQueues = async (
  options: { readonly port: number; readonly host: string } & Partial<QueueSettings>,
): Promise<LocalQueues> => {
  const { visibilityTimeoutSeconds, maxReceiveCount } = { ...QUEUE_SETTINGS, ...options };
  const server = await startEmbeddedSqs({
    port: options.port,
    host: options.host,
    accountId: LOCAL_ACCOUNT,
    maxMessageBytes: MAX_MESSAGE_BYTES,
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
  };
};
