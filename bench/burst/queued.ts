import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** What reached the queue, by delivery id: how many messages name each. */
export type QueuedCount = ReadonlyMap<string, number>;

/**
 * Receives and deletes every message on the queue, counting the delivery id (the event's `id`, which a GitHub
 * event takes from X-GitHub-Delivery) each one carries. Deleting as it goes matters: a FIFO queue gives no
 * more of a group while some of it is in flight. Stops after `idleReceives` empty receives in a row.
 */
export const drainQueued = async (
  client: Pick<SQSClient, 'send'>,
  queueUrl: string,
  idleReceives = 2,
): Promise<QueuedCount> => {
  const counts = new Map<string, number>();
  for (let idle = 0; idle < idleReceives; ) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) {
      idle++;
      continue;
    }
    idle = 0;
    for (const message of Messages) {
      const id = (JSON.parse(message.Body ?? '{}') as { event?: { id?: string } }).event?.id ?? '';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
  }
  return counts;
};

/** Of the `sent` delivery ids, how many reached the queue, how many more than once, and which never did. */
export const tallyQueued = (sent: readonly string[], queued: QueuedCount) => {
  const expected = new Set(sent);
  const missing = sent.filter((id) => !queued.has(id));
  let duplicates = 0;
  let strangers = 0;
  for (const [id, count] of queued) {
    if (!expected.has(id)) strangers += count;
    else duplicates += count - 1;
  }
  return { queued: sent.length - missing.length, duplicates, missing, strangers };
};
