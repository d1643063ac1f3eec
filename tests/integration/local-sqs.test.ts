import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
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

  /**
   * Amazon SQS API Reference, SendMessage and SendMessageBatch: a message (body and attributes) larger than the
   * queue's MaximumMessageSize, in bytes, is refused with InvalidParameterValue (in a batch, that entry fails);
   * a batch whose entries sum past the API's limit is refused whole with BatchRequestTooLong.
   */
  describe('message size, counted in UTF-8 bytes as SQS counts it', () => {
    const MAX = 262_144;
    // 3 bytes a character: 100,000 characters, 300,000 bytes
    const cjk = '語'.repeat(100_000);
    const send = (body: string) =>
      queues.client.send(
        new SendMessageCommand({
          QueueUrl: queues.queueUrl,
          MessageBody: body,
          MessageGroupId: 'g',
          MessageDeduplicationId: String(body.length),
        }),
      );

    it('creates both queues with MaximumMessageSize 262144, as serverless.yml does', async () => {
      for (const url of [queues.queueUrl, queues.dlqUrl]) {
        const { Attributes } = await queues.client.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['MaximumMessageSize'] }),
        );
        expect(Attributes?.MaximumMessageSize).toBe(String(MAX));
      }
    });

    it('refuses a body of fewer characters than the limit but more bytes', async () => {
      await expect(send(cjk)).rejects.toMatchObject({
        name: 'InvalidParameterValue',
        message: expect.stringContaining(`shorter than ${MAX} bytes`),
      });
      expect(await receive(queues.queueUrl)).toEqual([]);
    });

    it('takes a body of exactly the limit in bytes', async () => {
      await send(`${'語'.repeat(87_381)}x`);
      expect((await receive(queues.queueUrl)).map((m) => Buffer.byteLength(m.Body ?? ''))).toEqual([MAX]);
    });

    it('fails only the oversize entry of a batch, and refuses a batch past 1 MiB whole', async () => {
      const entry = (id: string, body: string) => ({
        Id: id,
        MessageBody: body,
        MessageGroupId: 'g',
        MessageDeduplicationId: id,
      });
      const result = await queues.client.send(
        new SendMessageBatchCommand({
          QueueUrl: queues.queueUrl,
          Entries: [entry('small', 'ok'), entry('big', cjk)],
        }),
      );
      expect(result.Successful?.map((s) => s.Id)).toEqual(['small']);
      expect(result.Failed).toEqual([expect.objectContaining({ Id: 'big', Code: 'InvalidParameterValue' })]);

      const quarter = '語'.repeat(80_000);
      await expect(
        queues.client.send(
          new SendMessageBatchCommand({
            QueueUrl: queues.queueUrl,
            Entries: ['a', 'b', 'c', 'd', 'e'].map((id) => entry(id, quarter)),
          }),
        ),
      ).rejects.toMatchObject({ name: 'BatchRequestTooLong' });
    });
  });
});
