import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { type LocalQueues, startLocalQueues } from '../../tools/local/sqs-server';

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

  const receive = async (queueUrl: string, max = 10) =>
    (
      await queues.client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max,
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

  const send = (body: string, group: string) =>
    queues.client.send(
      new SendMessageCommand({
        QueueUrl: queues.queueUrl,
        MessageBody: body,
        MessageGroupId: group,
        MessageDeduplicationId: body,
      }),
    );

  // Amazon SQS Developer Guide, "FIFO queue delivery logic" (Receiving messages): several messages of one
  // group may come in one receive, in order, but no more of that group until they are deleted or visible again
  it('returns no message of a FIFO group while another of that group is in flight', async () => {
    for (const [body, group] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
    ] as const)
      await send(body, group);
    const [a1] = await receive(queues.queueUrl, 1);
    expect(a1?.Body).toBe('a1');
    expect((await receive(queues.queueUrl)).map((m) => m.Body)).toEqual(['b1']);
    await queues.client.send(
      new DeleteMessageCommand({ QueueUrl: queues.queueUrl, ReceiptHandle: a1?.ReceiptHandle }),
    );
    expect((await receive(queues.queueUrl)).map((m) => m.Body)).toEqual(['a2']);
  });

  it('hands out several messages of a group in one receive, and none of it while any is still in flight', async () => {
    for (const body of ['a1', 'a2', 'a3']) await send(body, 'a');
    const first = await receive(queues.queueUrl);
    expect(first.map((m) => m.Body)).toEqual(['a1', 'a2', 'a3']);
    await queues.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queues.queueUrl,
        ReceiptHandle: first[0]?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    // a2 and a3 are still in flight: a1 waits for them, as the group's order requires
    expect(await receive(queues.queueUrl)).toEqual([]);
  }, 20_000);

  /**
   * Amazon SQS Developer Guide, "Amazon SQS short and long polling": a long poll returns as soon as a message
   * is available, with fewer than MaxNumberOfMessages if that is all there is; it waits out WaitTimeSeconds
   * only while the queue is empty.
   */
  it('answers a long poll as soon as one message is there, and a waiting one as soon as one arrives', async () => {
    await send('lone', 'g');
    let started = performance.now();
    expect((await receive(queues.queueUrl)).map((m) => m.Body)).toEqual(['lone']);
    expect(performance.now() - started).toBeLessThan(1_000);

    started = performance.now();
    const waiting = receive(queues.queueUrl);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await send('late', 'h');
    expect((await waiting).map((m) => m.Body)).toEqual(['late']);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1_500);
  });

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
