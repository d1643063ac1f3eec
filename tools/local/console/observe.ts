import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { redactTokens } from '../../../lib/cliq/channel-url';
import type { DeliveryResult } from '../../../lib/cliq/deliver';
import { fitMessage } from '../../../lib/cliq/fit';
import type { CliqMessage } from '../../../lib/cliq/message';
import { describeHold } from '../../../lib/delivery/hold';
import type { IngestDeps } from '../../../lib/ingest/handle-webhook';
import type { Log } from '../../../lib/log';
import type { RoutingConfig } from '../../../lib/routing/schema';
import { withBot, withMentions } from '../../../lib/sender/decorate';
import type { SenderDeps } from '../../../lib/sender/deps';
import { createEngineHandler, type EngineDeps } from '../../../lib/sender/engine';
import { createSenderHandler } from '../../../lib/sender/handler';
import { formatEvent } from '../../../lib/sources/events';
import { str } from '../../../lib/util/json';
import { optional } from '../../../lib/util/object';
import { parseJsonObject } from '../../../lib/util/parse-json';
import { type Activity, eventKey } from './activity';

/** The event key and channel of a queued body (`{channel, event}`), if it has them. */
const aboutBody = (body: string): { key: string; channel: string } | undefined => {
  const parsed = parseJsonObject(body);
  if (!parsed.ok) return undefined;
  const event = parsed.value.event;
  const source = str(event, 'source');
  const id = str(event, 'id');
  const channel = str(parsed.value, 'channel');
  return source === undefined || id === undefined || channel === undefined
    ? undefined
    : { key: eventKey({ source, id }), channel };
};

/**
 * Ingest as it is, reporting each accepted event with its route decision and the posts it will make, and
 * each message once it is on the queue.
 */
export const observeIngest = (deps: IngestDeps, activity: Activity, routing: RoutingConfig): IngestDeps => ({
  ...deps,
  destinations: (event, secrets, now) => {
    const routed = deps.destinations(event, secrets, now);
    if (routed.ok) {
      const card = fitMessage(formatEvent(event));
      const holds = new Map(
        routed.value.decision.destinations.flatMap((target) =>
          target.hold === undefined ? [] : [[target.channel, describeHold(target.hold)] as const],
        ),
      );
      activity.routed(
        event,
        routed.value.decision,
        routed.value.destinations.map((destination) => ({
          channel: destination.channel,
          ...optional('held', holds.get(destination.channel)),
          message: withMentions(
            withBot(card, routing.channels[destination.channel] ?? undefined),
            destination.mention,
          ),
        })),
      );
    }
    return routed;
  },
  enqueue: async (messages) => {
    const receipt = await deps.enqueue(messages);
    for (const message of messages) {
      const about = aboutBody(message.body);
      if (about !== undefined) activity.queued(about.key, about.channel);
    }
    return receipt;
  },
});

const field = (extra: readonly Record<string, unknown>[], name: string): unknown =>
  extra.find((fields) => fields[name] !== undefined)?.[name];

/**
 * The sender as it is, reporting what happens to each post: its SenderDeps are wrapped, never changed. Cliq's
 * answers come from `deliver`; which event they belong to comes from the sender's own log lines, which carry
 * the event id and channel. An event the sender posts nothing for (its ledger already has it, or it changed
 * nothing) is logged as such before the send's closing `delivered` line, which then is not about a post.
 */
export const observeSender = (
  deps: SenderDeps,
  activity: Activity,
  /** Whether a channel posts to the built-in Cliq stand-in (preview mode) rather than to Cliq. */
  previewing: (channel: string) => boolean = () => false,
): SenderDeps => {
  let last: { message: CliqMessage; result: DeliveryResult } | undefined;
  /** `key|channel` of events the current send posted nothing for. */
  const notPosted = new Set<string>();
  const keyOf = (extra: readonly Record<string, unknown>[]) => {
    const source = field(extra, 'source');
    const id = field(extra, 'eventId');
    const channel = field(extra, 'channel');
    return typeof source === 'string' && typeof id === 'string' && typeof channel === 'string'
      ? { key: eventKey({ source, id }), channel }
      : undefined;
  };
  const log: Log = {
    debug: (message, ...extra) => deps.log.debug(message, ...extra),
    error: (message, ...extra) => deps.log.error(message, ...extra),
    info: (message, ...extra) => {
      deps.log.info(message, ...extra);
      const about = keyOf(extra);
      if (about === undefined) return;
      const reason = field(extra, 'reason');
      if (message.startsWith('unchanged'))
        activity.unchanged(about.key, about.channel, typeof reason === 'string' ? reason : '');
      if (message.startsWith('unchanged') || message.startsWith('already delivered'))
        notPosted.add(`${about.key}|${about.channel}`);
      if (!message.startsWith('delivered')) return;
      // the send is over: what it posted, if anything, is behind
      const posted = last;
      const skipped = notPosted.has(`${about.key}|${about.channel}`);
      last = undefined;
      notPosted.clear();
      if (skipped || posted === undefined) return;
      const messageId = posted.result.ok ? posted.result.messageId : undefined;
      const sent = {
        message: posted.message,
        preview: previewing(about.channel),
        ...(messageId === undefined ? {} : { messageId }),
      };
      if (message.includes('digest')) activity.digested(about.key, about.channel, posted.message);
      else activity.delivered(about.key, about.channel, sent);
    },
    warn: (message, ...extra) => {
      deps.log.warn(message, ...extra);
      const about = keyOf(extra);
      const seconds = field(extra, 'retryInSeconds') ?? field(extra, 'seconds');
      if (about === undefined || typeof seconds !== 'number') return;
      const status = field(extra, 'status');
      const code = field(extra, 'code');
      const detail = field(extra, 'detail');
      const error = [status, code, detail].filter((part) => part !== undefined && part !== '').join(' ');
      activity.retrying(
        about.key,
        about.channel,
        seconds,
        redactTokens(`${message}${error === '' ? '' : `: ${error}`}`),
      );
    },
  };
  return {
    ...deps,
    log,
    deliver: async (url, message) => {
      const result = await deps.deliver(url, message);
      last = { message, result };
      return result;
    },
    preview: (message, context) => {
      activity.delivered(eventKey(context.event), context.channel, { message, preview: true });
      deps.preview(message, context);
    },
    deadLetter: async (record, why) => {
      last = undefined;
      await deps.deadLetter(record, why);
      const about = aboutBody(record.body);
      const refusal = [why.status, why.code].filter((part) => part !== undefined).join(' ');
      if (about !== undefined)
        activity.deadLettered(
          about.key,
          about.channel,
          why.reason,
          redactTokens([refusal, why.detail].filter(Boolean).join(': ')),
        );
    },
  };
};

/**
 * The sender's batch handler as it is; after each batch, the records it covered with a digest (they post
 * nothing themselves) are reported as digested.
 */
export const observeBatches =
  (handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>, activity: Activity) =>
  async (event: SQSEvent): Promise<SQSBatchResponse | undefined> => {
    const response = await handler(event);
    const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    const about = event.Records.filter((record) => !failed.has(record.messageId)).flatMap(
      (record) => aboutBody(record.body) ?? [],
    );
    const digestedChannels = new Set(
      about
        .filter(({ key, channel }) => activity.stateOf(key, channel) === 'digested')
        .map(({ channel }) => channel),
    );
    for (const { key, channel } of about) {
      const state = activity.stateOf(key, channel);
      if (digestedChannels.has(channel) && (state === 'queued' || state === 'retrying'))
        activity.digested(key, channel);
    }
    return response;
  };

/** The sender's handler, built from its deps as the stack builds it, reporting everything to `activity`. */
export const observedSenderHandler =
  (activity: Activity, engine?: EngineDeps, previewing?: (channel: string) => boolean) =>
  (deps: SenderDeps) =>
    observeBatches(
      engine === undefined
        ? createSenderHandler(observeSender(deps, activity, previewing))
        : createEngineHandler(observeSender(deps, activity, previewing), engine),
      activity,
    );
