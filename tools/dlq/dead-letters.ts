import {
  type Message,
  SendMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { str } from '../../lib/util/json';
import { parseJsonObject } from '../../lib/util/parse-json';
import { queueArn, queueDepth } from '../sqs/queue-attributes';
import { oneWalkAtATime } from './one-walk';
import { type Walked, walkDeadLetters } from './walk';

export interface DeadLetter {
  readonly id: string;
  readonly reason: string;
  readonly kind: string;
  readonly source: string;
  readonly channel: string;
  readonly status?: string;
  readonly code?: string;
  readonly detail?: string;
  readonly failedAt?: string;
  readonly ageSeconds: number;
  readonly body: string;
  readonly groupId: string;
}

export interface Queues {
  readonly client: Pick<SQSClient, 'send'>;
  readonly queueUrl: string;
  readonly dlqUrl: string;
}

const attribute = (message: Message, name: string): string | undefined =>
  message.MessageAttributes?.[name]?.StringValue;

const toDeadLetter = ({ message, id, sentAt }: Walked, now: number): DeadLetter => {
  const body = message.Body ?? '';
  const parsed = parseJsonObject(body);
  const event = parsed.ok ? parsed.value.event : undefined;
  const optional = (key: string, value: string | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    id,
    // a message that used up its receives is moved by SQS itself, without Vigil's reason attributes
    reason: attribute(message, 'reason') ?? 'retries_exhausted',
    kind: attribute(message, 'kind') ?? str(event, 'kind') ?? 'unknown',
    source: attribute(message, 'source') ?? str(event, 'source') ?? 'unknown',
    channel:
      attribute(message, 'channel') ?? (parsed.ok ? (str(parsed.value, 'channel') ?? 'unknown') : 'unknown'),
    ...optional('status', attribute(message, 'status')),
    ...optional('code', attribute(message, 'code')),
    ...optional('detail', attribute(message, 'detail')),
    ...optional('failedAt', attribute(message, 'failedAt')),
    ageSeconds: Math.max(0, Math.round((now - sentAt) / 1000)),
    body,
    groupId: message.Attributes?.MessageGroupId ?? 'dead-letter',
  } as DeadLetter;
};

/**
 * Every dead letter once, in each group's order (see walkDeadLetters for how a FIFO DLQ is read whole). A
 * letter left twice by an interrupted or overlapping walk is listed once, and both copies stay.
 */
export const listDeadLetters = (queues: Queues, now: () => number = Date.now): Promise<DeadLetter[]> =>
  oneWalkAtATime(queues.dlqUrl, async () => {
    const letters: DeadLetter[] = [];
    await walkDeadLetters(queues.client, queues.dlqUrl, async (walked) => {
      if (!walked.repeat) letters.push(toDeadLetter(walked, now()));
      return 'keep';
    });
    return letters;
  });

/** Reasons with counts and the oldest age, for `dlq list`. */
export const summarize = (letters: readonly DeadLetter[]) => {
  const byReason = new Map<string, { count: number; oldestSeconds: number; kinds: Set<string> }>();
  for (const letter of letters) {
    const key = `${letter.reason}${letter.code ? ` (${letter.code})` : letter.status ? ` (${letter.status})` : ''}`;
    const entry = byReason.get(key) ?? { count: 0, oldestSeconds: 0, kinds: new Set<string>() };
    entry.count += 1;
    entry.oldestSeconds = Math.max(entry.oldestSeconds, letter.ageSeconds);
    entry.kinds.add(letter.kind);
    byReason.set(key, entry);
  }
  return [...byReason].map(([reason, entry]) => ({
    reason,
    count: entry.count,
    oldestSeconds: entry.oldestSeconds,
    kinds: [...entry.kinds].sort(),
  }));
};

export interface RedriveResult {
  readonly moved: readonly DeadLetter[];
  readonly kept: number;
  readonly dryRun: boolean;
  readonly task?: string;
}

/**
 * Moves dead letters back to the main queue to be delivered again. Without a filter it asks SQS to move
 * everything (StartMessageMoveTask). With a kind filter it moves the matching ones itself, each sent with a
 * deduplication id derived from its dead letter id, so a redrive repeated within five minutes, or a letter
 * the DLQ holds twice, cannot deliver it twice (every copy is moved; `moved` names each letter once).
 */
export const redrive = async (
  queues: Queues,
  options: { readonly dryRun: boolean; readonly kind?: (kind: string) => boolean },
): Promise<RedriveResult> => {
  if (options.kind === undefined && !options.dryRun) {
    const letters = await listDeadLetters(queues);
    // messages the sender dead-lettered itself carry no DeadLetterQueueSourceArn: name the destination
    const task = await queues.client.send(
      new StartMessageMoveTaskCommand({
        SourceArn: await queueArn(queues.client, queues.dlqUrl),
        DestinationArn: await queueArn(queues.client, queues.queueUrl),
      }),
    );
    return {
      moved: letters,
      kept: 0,
      dryRun: false,
      ...(task.TaskHandle === undefined ? {} : { task: task.TaskHandle }),
    };
  }
  return oneWalkAtATime(queues.dlqUrl, async () => {
    const moved: DeadLetter[] = [];
    let kept = 0;
    await walkDeadLetters(queues.client, queues.dlqUrl, async (walked) => {
      const letter = toDeadLetter(walked, Date.now());
      if (options.kind !== undefined && !options.kind(letter.kind)) {
        if (!walked.repeat) kept += 1;
        return 'keep';
      }
      if (!walked.repeat) moved.push(letter);
      if (options.dryRun) return 'keep';
      await queues.client.send(
        new SendMessageCommand({
          QueueUrl: queues.queueUrl,
          MessageBody: letter.body,
          MessageGroupId: letter.groupId,
          MessageDeduplicationId: `redrive-${letter.id}`,
        }),
      );
      return 'taken';
    });
    return { moved, kept: options.dryRun ? kept + moved.length : kept, dryRun: options.dryRun };
  });
};

/** How many messages the DLQ holds, visible or being read, as SQS counts them (no walk). */
export const countDeadLetters = async (queues: Queues): Promise<number> => {
  const { visible, inFlight } = await queueDepth(queues.client, queues.dlqUrl);
  return visible + inFlight;
};
