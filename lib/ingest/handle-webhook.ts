import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { redactTokens } from '../cliq/channel-url';
import {
  MethodNotAllowedError,
  NotConfiguredError,
  PayloadTooLargeError,
  QueueUnavailableError,
  UnsupportedMediaTypeError,
  WebhookError,
} from '../http/errors';
import { bodyBytes, mediaType, type WebhookRequest } from '../http/request';
import { json, toErrorResponse } from '../http/response';
import type { Log } from '../log';
import { type Counters, noCounters } from '../metrics';
import type { Enqueue } from '../queue/enqueue';
import { type Destination, describeIssues, type OutboundMessage, toOutbound } from '../queue/message';
import type { SecretSource, Secrets } from '../secrets';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS } from '../sources/shared/replay';
import type { SourceAdapter } from '../sources/source';
import { parserFor } from '../util/schema-check';
import type { ResolveDestinations } from './destinations';

export interface IngestDeps {
  readonly source: SourceAdapter;
  readonly secrets: SecretSource;
  readonly destinations: ResolveDestinations;
  readonly enqueue: Enqueue;
  readonly maxBodyBytes: number;
  /** How far a signed timestamp may be from `now` (WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS; default 300). */
  readonly timestampToleranceSeconds?: number;
  readonly now: () => Date;
  readonly log: Log;
  readonly counters?: Counters;
}

/** The routed line names the channels whose message waits, until when and why. */
const heldIn = (destinations: readonly Destination[]) => {
  const held = destinations.flatMap(({ channel, hold }) =>
    hold === undefined ? [] : [{ channel, until: new Date(hold.until).toISOString(), why: hold.why }],
  );
  return held.length === 0 ? {} : { held };
};

class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** Checks that need no secret: method, size, media type. Cheap rejections first. */
const checkShape = (request: WebhookRequest, deps: IngestDeps): WebhookError | undefined => {
  const { source, maxBodyBytes } = deps;
  if (!source.methods.includes(request.method)) {
    return new MethodNotAllowedError(
      `${request.method} is not accepted here: send ${source.methods.join(' or ')} ${source.route}`,
    );
  }
  const bytes = bodyBytes(request);
  if (bytes > maxBodyBytes) {
    return new PayloadTooLargeError(`body is ${bytes} bytes; the limit is ${maxBodyBytes} (MAX_BODY_BYTES)`);
  }
  const type = mediaType(request);
  if (!source.contentTypes.includes(type)) {
    return new UnsupportedMediaTypeError(
      `Content-Type ${type === '' ? 'is missing' : `${type} is not accepted`}: send ${source.contentTypes.join(' or ')}`,
    );
  }
  return undefined;
};

/**
 * verify → normalize → enqueue, for any source. Answers 202 only once every message is on the queue;
 * every rejection is a JSON `{error, message}` and queues nothing.
 */
export const createIngest = (deps: IngestDeps) => {
  // every event is checked against its source's schema before anything is queued
  const validate = parserFor(deps.source.schema);
  return async (request: WebhookRequest): Promise<APIGatewayProxyStructuredResultV2> => {
    const { source, log } = deps;
    const counters = deps.counters ?? noCounters;
    counters.count('received', source.name);
    const context = { source: source.name, deliveryId: request.headers[source.deliveryHeader] };
    try {
      const shapeProblem = checkShape(request, deps);
      if (shapeProblem) throw shapeProblem;

      let secrets: Secrets;
      try {
        secrets = await deps.secrets();
      } catch (cause) {
        log.error('could not load secrets', context, { error: (cause as Error).name });
        throw new NotConfiguredError(
          'Vigil could not load its configuration; nothing was queued: retry later',
        );
      }
      const authenticated = source.authenticate(request, secrets, {
        now: deps.now(),
        toleranceSeconds: deps.timestampToleranceSeconds ?? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS,
      });
      if (!authenticated.ok) throw authenticated.error;

      const accepted = source.accept(request, deps.now().toISOString());
      if (!accepted.ok) throw accepted.error;

      const messages: OutboundMessage[] = [];
      const dropped: string[] = [];
      const decisions: Record<string, unknown>[] = [];
      for (const event of accepted.value.events) {
        const checked = validate(event);
        if (!checked.success) throw new InvalidEventError(`${event.kind}: ${describeIssues(checked.issues)}`);
        const routed = deps.destinations(checked.output, secrets, deps.now());
        if (!routed.ok) throw routed.error;
        const { decision, destinations } = routed.value;
        decisions.push({
          eventId: event.id,
          kind: event.kind,
          matched: decision.matched,
          decidedBy: decision.decidedBy,
          channels: destinations.map((destination) => destination.channel),
          dropped: decision.dropped,
          ...heldIn(destinations),
        });
        if (decision.dropped) {
          dropped.push(decision.decidedBy);
          counters.count('dropped', source.name);
        }
        for (const destination of destinations) messages.push(toOutbound(checked.output, destination));
      }
      if (messages.length === 0) {
        const note =
          dropped.length > 0
            ? `dropped by ${[...new Set(dropped)].map((name) => (name === 'default' ? 'the default (drop)' : `route "${name}"`)).join(', ')}`
            : (accepted.value.note ?? 'nothing to post');
        if (decisions.length === 0) log.info('accepted, nothing to post', context, { note });
        for (const decision of decisions) log.info('routed', context, decision, { queued: 0, note });
        return json(200, { ok: true, queued: 0, note });
      }

      const receipt = await deps.enqueue(messages).catch((cause: unknown) => {
        log.error('could not queue the event', context, {
          events: decisions,
          error: (cause as Error).name,
          detail: (cause as Error).message,
        });
        throw new QueueUnavailableError(
          'Vigil could not queue this delivery and did not accept it: redeliver it once Vigil is healthy',
        );
      });
      counters.count('enqueued', source.name, messages.length);
      // one line per event once its outcome is known: the route decision and the messages queued for it
      for (const decision of decisions)
        log.info('routed', context, decision, {
          queued: receipt.queued === 0 ? 0 : (decision.channels as readonly string[]).length,
        });
      const events = accepted.value.events.map((event) => ({ id: event.id, kind: event.kind }));
      return json(202, { ok: true, ...receipt, events });
    } catch (error) {
      if (error instanceof WebhookError && error.status < 500) counters.count('rejected', source.name);
      if (error instanceof WebhookError) {
        // the reason is the answer's own text (what to fix, never a secret), so the log says it too
        log[error.status >= 500 ? 'error' : 'warn']('rejected', context, {
          status: error.status,
          code: error.code,
          reason: redactTokens(error.message),
        });
      } else {
        log.error('failed', context, { error: (error as Error).name, detail: (error as Error).message });
      }
      return toErrorResponse(error);
    } finally {
      counters.flush();
    }
  };
};
