import {
  ChangeMessageVisibilityCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { type LocalQueues, startLocalQueues } from '../../lib/local/sqs-server';

/** The embedded SQS must behave like SQS where Vigil relies on it: dedup, receive counts, redrive. */
describe('the embedded SQS queues', () => {
  let queues: LocalQueues;
  beforeEach(async () => {
    queues = await startLocalQueues({
      port: 0,
      host: '127.0.0.1',
      maxReceiveCount: 3,
      visibilityTimeoutSeconds: 1,
    });
  });
  afterEach(async () => {
    queues.client.destroy();
    await new Promise((resolve) => queues.server.close(resolve));
  });

  const receive = async (queueUrl: string) =>
    (
      await queues.client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 2,
          VisibilityTimeout: 600,
          AttributeNames: ['All'],
        }),
      )
    ).Messages ?? [];

  it('drops a message whose deduplication id was already sent', async () => {
    for (const body of ['first', 'replay']) {
      await queues.client.send(
        new SendMessageCommand({
          QueueUrl: queues.queueUrl,
          MessageBody: body,
          MessageGroupId: 'g',
          MessageDeduplicationId: 'same',
        }),
      );
    }
    expect((await receive(queues.queueUrl)).map((m) => m.Body)).toEqual(['first']);
  });

  it('does not count a visibility change as a receive, and dead-letters after maxReceiveCount receives', async () => {
    await queues.client.send(
      new SendMessageCommand({
        QueueUrl: queues.queueUrl,
        MessageBody: 'x',
        MessageGroupId: 'g',
        MessageDeduplicationId: 'd',
      }),
    );
    const counts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [message] = await receive(queues.queueUrl);
      counts.push(message?.Attributes?.ApproximateReceiveCount ?? 'none');
      await queues.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queues.queueUrl,
          ReceiptHandle: message?.ReceiptHandle,
          VisibilityTimeout: 1,
        }),
      );
    }
    expect(counts).toEqual(['1', '2', '3']);
    expect(await receive(queues.queueUrl)).toEqual([]);
    expect((await receive(queues.dlqUrl)).map((m) => m.Body)).toEqual(['x']);
  }, 20_000);
});
