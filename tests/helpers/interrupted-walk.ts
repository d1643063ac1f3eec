import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type ReceiveMessageCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { walkDeadLetters } from '../../tools/dlq/walk';

/**
 * A walk of the DLQ whose process ends after sending the head of a group to the end of it, before deleting
 * it; what it had received then comes back, as when its visibility timeout ends. The head is left twice.
 * Answers the first id of the letter left twice.
 */
export const interruptedWalk = async (client: SQSClient, dlqUrl: string): Promise<string> => {
  const received: string[] = [];
  let head = '';
  const dying: Pick<SQSClient, 'send'> = {
    send: (async (command: unknown) => {
      if (command instanceof DeleteMessageCommand) throw new Error('process ended');
      const output = (await client.send(command as never)) as ReceiveMessageCommandOutput;
      for (const message of output.Messages ?? []) received.push(message.ReceiptHandle ?? '');
      return output;
    }) as SQSClient['send'],
  };
  await walkDeadLetters(dying, dlqUrl, async ({ id }) => {
    head = id;
    return 'keep';
  }).then(
    () => {
      throw new Error('the walk was to end half-way');
    },
    (error: Error) => {
      if (error.message !== 'process ended') throw error;
    },
  );
  for (const handle of received)
    await client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: dlqUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }),
    );
  return head;
};
