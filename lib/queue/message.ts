import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { CHANNEL_NAME } from '../channels';
import { VigilEvent } from '../event/model';
import { err, ok, type Result } from '../result';
import { parseJsonObject } from '../util/parse-json';
import { shrinkToFit } from './shrink';
import { messageBytes, QUEUED_MESSAGE_BYTES } from './size';

/** One SQS message: one event for one channel, so a failing channel never re-posts to a healthy one. */
export const QueuedMessage = v.object({
  v: v.literal(1),
  channel: v.pipe(v.string(), v.regex(CHANNEL_NAME, 'must be a channel name')),
  /** Cliq mentions the route adds to the text (trusted: they come from the reviewed routing file). */
  mention: v.optional(v.pipe(v.array(v.pipe(v.string(), v.regex(/^\{@[^{}\s]+\}$/))), v.maxLength(20))),
  digest: v.optional(v.picklist(['always', 'auto', 'never'])),
  /** CI on a branch: post on changes (default) or every run. */
  ci: v.optional(v.picklist(['changes', 'every'])),
  event: VigilEvent,
});
export type QueuedMessage = v.InferOutput<typeof QueuedMessage>;

export interface Destination {
  readonly channel: string;
  /** The rate-limit owner: messages sharing a Cliq user's budget share a FIFO group. Never the token itself. */
  readonly owner: string;
  readonly mention?: readonly string[];
  readonly digest?: 'always' | 'auto' | 'never';
  readonly ci?: 'changes' | 'every';
}

export interface OutboundMessage {
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly attributes: Readonly<Record<'source' | 'kind' | 'channel', string>>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The SQS message for one event and channel. A body that would pass SQS's byte limit is shrunk first (fewer
 * alerts or commits listed; the card says "…and N more"), so SQS never refuses it.
 */
export const toOutbound = (event: VigilEvent, destination: Destination): OutboundMessage => {
  const bodyOf = (candidate: VigilEvent) => {
    const message: QueuedMessage = {
      v: 1,
      channel: destination.channel,
      ...(destination.mention === undefined || destination.mention.length === 0
        ? {}
        : { mention: [...destination.mention] }),
      ...(destination.digest === undefined ? {} : { digest: destination.digest }),
      ...(destination.ci === undefined ? {} : { ci: destination.ci }),
      event: candidate,
    };
    return JSON.stringify(message);
  };
  const attributes = { source: event.source, kind: event.kind, channel: destination.channel };
  const fits = (body: string) => messageBytes(body, attributes) <= QUEUED_MESSAGE_BYTES;
  const body = bodyOf(event);
  return {
    body: fits(body) ? body : bodyOf(shrinkToFit(event, (candidate) => fits(bodyOf(candidate)))),
    groupId: destination.owner,
    // a redelivery of the same event to the same channel within SQS's 5-minute window is dropped by SQS
    deduplicationId: sha256(`${event.source}\n${event.id}\n${destination.channel}`),
    attributes,
  };
};

/** Where a queued body failed to validate, in one line: `event.kind: must look like … ; channel: …`. */
export const describeIssues = (issues: readonly v.BaseIssue<unknown>[]): string =>
  issues
    .slice(0, 5)
    .map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`)
    .join('; ');

export const parseQueuedMessage = (body: string): Result<QueuedMessage, string> => {
  const json = parseJsonObject(body);
  if (!json.ok) return err(`body is not a JSON object: ${json.error.detail}`);
  const parsed = v.safeParse(QueuedMessage, json.value);
  return parsed.success ? ok(parsed.output) : err(describeIssues(parsed.issues));
};
