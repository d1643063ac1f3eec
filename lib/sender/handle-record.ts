import type { SQSRecord } from 'aws-lambda';
import { resolveChannel } from '../channels';
import type { DeliveryResult } from '../cliq/deliver';
import { fitMessage } from '../cliq/fit';
import type { CliqMessage } from '../cliq/message';
import { backoffSeconds } from '../delivery/backoff';
import type { Pacer } from '../delivery/pacer';
import type { VigilEvent } from '../event/model';
import type { Log } from '../log';
import { type Counters, noCounters } from '../metrics';
import type { DeadLetter } from '../queue/dead-letter';
import { parseQueuedMessage } from '../queue/message';
import type { Channel } from '../routing/schema';
import type { SecretSource } from '../secrets';
import { channelPostUrl, withBot, withMentions } from './decorate';

export interface SenderDeps {
  readonly secrets: SecretSource;
  /** Local runs only: a channel with no URL prints its messages instead of failing. */
  readonly previewWhenUnset: boolean;
  readonly format: (event: VigilEvent) => CliqMessage;
  readonly deliver: (url: string, message: CliqMessage) => Promise<DeliveryResult>;
  readonly preview: (message: CliqMessage, context: { channel: string; event: VigilEvent }) => void;
  readonly deadLetter: DeadLetter;
  /** Spaces posts per Cliq owner and remembers rate-limit locks (one per container). */
  readonly pacer?: Pacer;
  /** Moves a failed record's next delivery out (backoff, or until Cliq's lock lifts). */
  readonly changeVisibility?: (record: SQSRecord, seconds: number) => Promise<void>;
  readonly retry?: {
    readonly baseSeconds: number;
    readonly maxSeconds: number;
    readonly lockSeconds: number;
  };
  readonly counters?: Counters;
  /** Per-channel settings from the routing file (bot to post as, display bot). */
  readonly channels?: Readonly<Record<string, Channel | null | undefined>>;
  readonly log: Log;
}

/** Thrown for a failure worth retrying: the batch processor reports the record and SQS redelivers it. */
export class TransientDeliveryError extends Error {
  override readonly name = 'TransientDeliveryError';
}

/** validate → format → deliver, for one SQS record. Returns when done (delivered or dead-lettered). */
export const createRecordHandler =
  (deps: SenderDeps) =>
  async (record: SQSRecord): Promise<void> => {
    const { log } = deps;
    const counters = deps.counters ?? noCounters;
    const deadLetter: DeadLetter = async (dead, why) => {
      await deps.deadLetter(dead, why);
      counters.count('dead_lettered', why.source ?? 'unknown');
    };
    const context = { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount };
    const parsed = parseQueuedMessage(record.body);
    if (!parsed.ok) {
      log.error('invalid queued message: dead-lettered', { ...context, detail: parsed.error });
      await deadLetter(record, { reason: 'invalid_message', detail: parsed.error });
      return;
    }
    const { channel, event, mention } = parsed.value;
    const settings = deps.channels?.[channel] ?? undefined;
    const about = { ...context, channel, kind: event.kind, source: event.source, eventId: event.id };

    const resolved = resolveChannel(channel, await deps.secrets(), {
      previewWhenUnset: deps.previewWhenUnset,
    });
    if (!resolved.ok) {
      log.error('channel not configured: dead-lettered', { ...about, detail: resolved.error });
      await deadLetter(record, {
        reason: 'channel_not_configured',
        detail: resolved.error,
        ...pick(about),
      });
      return;
    }

    let message: CliqMessage;
    try {
      message = withMentions(withBot(fitMessage(deps.format(event)), settings), mention);
    } catch (error) {
      log.error('formatter failed: dead-lettered', { ...about, error: (error as Error).message });
      await deadLetter(record, {
        reason: 'format_failed',
        detail: (error as Error).message,
        ...pick(about),
      });
      return;
    }

    if (resolved.value.kind === 'preview') {
      deps.preview(message, { channel, event });
      log.info('previewed', about);
      return;
    }

    const owner = record.attributes.MessageGroupId ?? resolved.value.target.owner;
    const retry = deps.retry ?? { baseSeconds: 10, maxSeconds: 900, lockSeconds: 600 };
    const locked = deps.pacer?.lockedFor(owner) ?? 0;
    if (locked > 0) {
      // Cliq locked this user: posting now would only extend the lock
      await deps.changeVisibility?.(record, locked);
      throw new TransientDeliveryError(`Cliq's rate-limit lock for this owner has ${locked} s left`);
    }
    await deps.pacer?.beforePost(owner);
    const result = await deps.deliver(channelPostUrl(resolved.value.target.url, settings), message);
    if (result.ok) {
      counters.count('delivered', event.source);
      log.info('delivered', { ...about, status: result.status });
      return;
    }
    const failure = { ...about, status: result.status, code: result.code, detail: result.message };
    if (result.throttled) {
      const seconds = result.retryAfterSeconds ?? retry.lockSeconds;
      deps.pacer?.lock(owner, seconds);
      counters.count('locked', event.source);
      await deps.changeVisibility?.(record, seconds);
      log.warn('Cliq rate-limit lock: holding this owner', { ...failure, seconds });
      throw new TransientDeliveryError(`Cliq locked this owner for ${seconds} s`);
    }
    if (result.transient) {
      const seconds = backoffSeconds(
        Number(record.attributes.ApproximateReceiveCount ?? '1'),
        retry.baseSeconds,
        retry.maxSeconds,
      );
      await deps.changeVisibility?.(record, seconds);
      counters.count('retried', event.source);
      log.warn('delivery failed, will retry', { ...failure, retryInSeconds: seconds });
      throw new TransientDeliveryError(`Cliq delivery failed: ${result.message}`);
    }
    if (result.code === 'input_invalid' || result.status === 400) {
      // Cliq refused the message itself: a formatter bug worth a loud log line
      log.error('Cliq rejected the formatted message: formatter bug', failure);
    } else {
      log.error('Cliq refused the delivery: dead-lettered', failure);
    }
    await deadLetter(record, {
      reason: 'cliq_rejected',
      detail: result.message,
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.code === undefined ? {} : { code: result.code }),
      ...pick(about),
    });
  };

const pick = ({ kind, source, channel }: { kind: string; source: string; channel: string }) => ({
  kind,
  source,
  channel,
});
