import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** One dead letter as the walk meets it: the SQS message and the identity it keeps across walks. */
export interface Walked {
  readonly message: Message;
  /** The message id it had when it was first dead-lettered. */
  readonly id: string;
  /** When it was first dead-lettered (ms since the epoch). */
  readonly sentAt: number;
  /** This walk already visited a copy of the same letter (one left twice, or moved behind it by another walk). */
  readonly repeat: boolean;
}

/** What the visitor did with a dead letter: left it in the DLQ, or sent it elsewhere (it is then deleted). */
export type Visit = 'keep' | 'taken';

/** Carries a dead letter's first id and time through the walks that re-send it, and marks this walk's copies. */
const META = 'vigil.letter';
/** Long enough to visit a batch; what stays unread longer simply comes back. */
const READ_SECONDS = 60;

interface Meta {
  readonly id: string;
  readonly sentAt: number;
  readonly walk: string;
}

const metaOf = (message: Message): Partial<Meta> => {
  try {
    return JSON.parse(message.MessageAttributes?.[META]?.StringValue ?? '{}') as Partial<Meta>;
  } catch {
    return {};
  }
};

/**
 * Visits every message of a FIFO DLQ once. SQS returns no more of a message group while any of it is in
 * flight, and returns a group's head again once it is visible again (Amazon SQS Developer Guide, "FIFO
 * queue delivery logic"), so reading past the first ten messages of a group means taking them out of the
 * way: each message kept is sent again to the end of its group, with its first id and time and this walk's
 * mark, and then deleted. The walk ends when SQS returns nothing but this walk's copies, which are then made
 * visible again. Each group's order is unchanged; the copies start a new retention period.
 *
 * A walk deletes only what it has just sent on, to the end of its group or elsewhere. Another walk (another
 * process) may be moving the same messages, and a walk stopped between sending and deleting leaves a letter
 * twice; so a second copy of an id is a dead letter like the first: visited with `repeat` set, and kept or
 * sent on, never dropped. At worst a letter stays twice under one id, never zero times.
 */
export const walkDeadLetters = async (
  client: Pick<SQSClient, 'send'>,
  dlqUrl: string,
  visit: (walked: Walked) => Promise<Visit>,
): Promise<void> => {
  const walk = randomUUID();
  const seen = new Set<string>();
  const copies = new Map<string, Message>();
  const remove = (message: Message) =>
    client.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }));
  for (;;) {
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: READ_SECONDS,
        WaitTimeSeconds: 0,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const batch = received.Messages ?? [];
    if (batch.length === 0) break;
    for (const message of batch) {
      const meta = metaOf(message);
      if (meta.walk === walk) {
        copies.set(message.MessageId ?? '', message);
        continue;
      }
      const id = meta.id ?? message.MessageId ?? '';
      const repeat = seen.has(id);
      seen.add(id);
      const sentAt = meta.sentAt ?? Number(message.Attributes?.SentTimestamp ?? Date.now());
      if ((await visit({ message, id, sentAt, repeat })) === 'keep') {
        const attributes: Record<string, MessageAttributeValue> = {};
        for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
          if (name === META) continue;
          const { DataType, StringValue, BinaryValue } = value;
          attributes[name] = {
            DataType,
            ...(StringValue === undefined ? {} : { StringValue }),
            ...(BinaryValue === undefined ? {} : { BinaryValue }),
          };
        }
        attributes[META] = { DataType: 'String', StringValue: JSON.stringify({ id, sentAt, walk }) };
        await client.send(
          new SendMessageCommand({
            QueueUrl: dlqUrl,
            MessageBody: message.Body,
            MessageGroupId: message.Attributes?.MessageGroupId ?? 'dead-letter',
            // SQS drops a send whose deduplication id it has seen in five minutes: a second copy of a letter
            // (moved back by another walk) must be sent on too, so the id is the moved message's own
            MessageDeduplicationId: `${walk}-${message.MessageId}`,
            MessageAttributes: attributes,
          }),
        );
      }
      await remove(message);
    }
  }
  const release = [...copies.values()];
  for (let start = 0; start < release.length; start += 10) {
    await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: dlqUrl,
        Entries: release.slice(start, start + 10).map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
};
