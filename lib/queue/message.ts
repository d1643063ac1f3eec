import * as v from 'valibot';
import type { Held } from '../delivery/hold';
import type { CiMode, DigestMode } from '../delivery/policy';
import type { VigilEvent } from '../event/model';
import { sha256Hex } from '../util/hash';
import type { QueuedMessage } from './queued-message';
import { shrinkToFit } from './shrink';
import { messageBytes, QUEUED_MESSAGE_BYTES } from './size';

export interface Destination {
  readonly channel: string;
  /** The rate-limit owner: messages sharing a Cliq user's budget share a FIFO group. Never the token itself. */
  readonly owner: string;
  readonly mention?: readonly string[];
  readonly digest?: DigestMode;
  readonly ci?: CiMode;
  /** Not before `until` (epoch ms): routing's hold (lib/delivery/hold.ts), queued as an ISO time. */
  readonly hold?: Pick<Held, 'until' | 'why'>;
}

export interface OutboundMessage {
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly attributes: Readonly<Record<'source' | 'kind' | 'channel', string>>;
  /** Its size as SQS counts it (`messageBytes` of body and attributes), measured once when it is built. */
  readonly bytes: number;
}

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
      ...(destination.hold === undefined
        ? {}
        : { hold: { until: new Date(destination.hold.until).toISOString(), why: destination.hold.why } }),
      event: candidate,
    };
    return JSON.stringify(message);
  };
  const attributes = { source: event.source, kind: event.kind, channel: destination.channel };
  const attributeBytes = messageBytes('', attributes);
  const sizeOf = (body: string) => attributeBytes + Buffer.byteLength(body);
  let body = bodyOf(event);
  let bytes = sizeOf(body);
  if (bytes > QUEUED_MESSAGE_BYTES) {
    body = bodyOf(shrinkToFit(event, (candidate) => sizeOf(bodyOf(candidate)) <= QUEUED_MESSAGE_BYTES));
    bytes = sizeOf(body);
  }
  return {
    body,
    bytes,
    groupId: destination.owner,
    // a redelivery (or replay) of the same event to the same channel within SQS's 5-minute window is dropped
    deduplicationId: sha256Hex(`${event.source}\n${event.identity ?? event.id}\n${destination.channel}`),
    attributes,
  };
};

/** Where a queued body failed to validate, in one line: `event.kind: must look like … ; channel: …`. */
export const describeIssues = (issues: readonly v.BaseIssue<unknown>[]): string =>
  issues
    .slice(0, 5)
    .map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`)
    .join('; ');
