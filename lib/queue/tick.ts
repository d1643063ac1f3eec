import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sha256Hex } from '../util/hash';
import { parseJsonObject } from '../util/parse-json';

/**
 * A tick: a message in an owner's FIFO group that asks the sender to send what waits in that owner's outbox.
 * The schedule puts one per owner with something due, and the sender puts one behind a burst it has taken
 * in, so the burst's last events are sent when the burst ends rather than at the next minute. It goes into
 * the owner's own group, so the sender stays the only one handling that owner's outbox at a time.
 */
export interface Tick {
  readonly v: 1;
  readonly tick: string;
}

export const tickBody = (owner: string): string => JSON.stringify({ v: 1, tick: owner } satisfies Tick);

/** The owner a queued body ticks for, or undefined for an event's body. */
export const tickOwner = (body: string): string | undefined => {
  if (!body.startsWith('{"v":1,"tick":')) return undefined;
  const parsed = parseJsonObject(body);
  if (!parsed.ok) return undefined;
  const owner = parsed.value.tick;
  return typeof owner === 'string' ? owner : undefined;
};

/**
 * A tick's deduplication id: the schedule's ticks of one minute are one (SQS drops a second within five
 * minutes), the sender's own are each their own. The owner's hash keeps them apart where deduplication
 * spans the whole queue rather than one group.
 */
export const tickDeduplicationId = (owner: string, at: number, scheduled: boolean): string =>
  `tick-${scheduled ? `m${Math.floor(at / 60_000)}` : `s${at}`}-${sha256Hex(owner).slice(0, 24)}`;

/** Puts ticks into the events queue: `scheduled` ones (one a minute per owner) or the sender's own. */
export const tickSender =
  (client: Pick<SQSClient, 'send'>, queueUrl: string, scheduled: boolean, now: () => number = Date.now) =>
  async (owner: string): Promise<void> => {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: tickBody(owner),
        MessageGroupId: owner,
        MessageDeduplicationId: tickDeduplicationId(owner, now(), scheduled),
      }),
    );
  };
