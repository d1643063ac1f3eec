import { ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { countDeadLetters, listDeadLetters } from '../../tools/dlq/dead-letters';
import { walkDeadLetters } from '../../tools/dlq/walk';
import { type LocalQueues, startLocalQueues } from '../../tools/local/sqs-server';
import { interruptedWalk } from '../helpers/interrupted-walk';

// Amazon SQS Developer Guide, "FIFO queue delivery logic": no more messages of a group are returned while some
// are in flight, so every read of the whole DLQ moves what it keeps to the end of its group. Two reads may
// overlap: two processes (the console and `npm run dlq`), or two requests in one process.
describe('reads of the DLQ that overlap', () => {
  let queues: LocalQueues;
  const ids = async () => (await listDeadLetters(queues)).map((letter) => letter.id);
  const sorted = (list: readonly string[]) => [...list].sort();
  const keep = async () => 'keep' as const;

  beforeEach(async () => {
    queues = await startLocalQueues({
      port: 0,
      host: '127.0.0.1',
      maxReceiveCount: 3,
      visibilityTimeoutSeconds: 1,
    });
    for (let i = 0; i < 12; i++)
      await queues.client.send(
        new SendMessageCommand({
          QueueUrl: queues.dlqUrl,
          MessageBody: JSON.stringify({ i }),
          MessageGroupId: i % 2 === 0 ? 'g1' : 'g2',
          MessageDeduplicationId: `d${i}`,
        }),
      );
  });
  afterEach(async () => {
    queues.client.destroy();
    await new Promise((resolve) => queues.server.close(resolve));
  });

  it('loses no dead letter when another process walks the DLQ in the middle of a walk, and lists each once', async () => {
    const first = await ids();
    expect(first).toHaveLength(12);
    // walk A stops before its second read, having moved its first batch to the end of the groups; walk B, of
    // another process, then reads the whole DLQ, A's copies included, and moves them behind its own mark
    let reachedSecondRead = () => {};
    const paused = new Promise<void>((resolve) => {
      reachedSecondRead = resolve;
    });
    let resumeA = () => {};
    const resumed = new Promise<void>((resolve) => {
      resumeA = resolve;
    });
    let reads = 0;
    const slowClient: Pick<SQSClient, 'send'> = {
      send: (async (command: unknown) => {
        if (command instanceof ReceiveMessageCommand && ++reads === 2) {
          reachedSecondRead();
          await resumed;
        }
        return queues.client.send(command as ReceiveMessageCommand);
      }) as SQSClient['send'],
    };
    const walkA = walkDeadLetters(slowClient, queues.dlqUrl, keep);
    await paused;
    await walkDeadLetters(queues.client, queues.dlqUrl, keep);
    resumeA();
    await walkA;

    const after = await ids();
    expect(sorted(after)).toEqual(sorted(first));
    expect(await ids()).toEqual(after);
  }, 60_000);

  it('runs two listings of one process one after the other: each sees all twelve, and twelve stay', async () => {
    const first = await ids();
    for (const delay of [0, 3, 15, 60]) {
      const [a, b] = await Promise.all([
        listDeadLetters(queues),
        new Promise((resolve) => setTimeout(resolve, delay)).then(() => listDeadLetters(queues)),
      ]);
      expect(a.map((letter) => letter.id)).toEqual(first);
      expect(b.map((letter) => letter.id)).toEqual(first);
      expect(await countDeadLetters(queues)).toBe(12);
    }
  }, 60_000);

  it('keeps both copies a walk stopped between re-sending and deleting leaves, and lists the letter once', async () => {
    const first = await ids();
    expect(first).toContain(await interruptedWalk(queues.client, queues.dlqUrl));
    expect(await countDeadLetters(queues)).toBe(13);
    expect(sorted(await ids())).toEqual(sorted(first));
    expect(sorted(await ids())).toEqual(sorted(first));
    expect(await countDeadLetters(queues)).toBe(13);
  }, 60_000);
});
