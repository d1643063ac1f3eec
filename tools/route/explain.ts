import { fitMessage } from '../../lib/cliq/fit';
import type { CliqMessage } from '../../lib/cliq/message';
import { renderPreview } from '../../lib/cliq/preview';
import { describeConversation } from '../../lib/conversation/explain';
import { describeHold } from '../../lib/delivery/hold';
import type { Source, VigilEvent } from '../../lib/event/model';
import type { WebhookRequest } from '../../lib/http/request';
import { type RouteDecision, routeEvent } from '../../lib/routing/route';
import type { RoutingConfig } from '../../lib/routing/schema';
import { withBot, withMentions } from '../../lib/sender/decorate';
import { formatEvent } from '../../lib/sources/events';
import { SOURCES, sourceList } from '../../lib/sources/registry';

/** The header that names the event, per source, for tools that take `--event`. */
export const EVENT_HEADER: Readonly<Partial<Record<Source, string>>> = Object.fromEntries(
  sourceList().flatMap((source) =>
    source.eventHeader === undefined ? [] : [[source.name, source.eventHeader]],
  ),
);

export interface Explained {
  readonly event: VigilEvent;
  readonly decision: RouteDecision;
  readonly messages: readonly {
    readonly channel: string;
    /** The Cliq user the routing file names as the channel's rate-limit owner, if it names one. */
    readonly owner?: string;
    /** When a held event will post, and why it waits (describeHold). */
    readonly held?: string;
    readonly message: CliqMessage;
  }[];
}

const ownerOf = (config: RoutingConfig, channel: string): { owner?: string } => {
  const owner = config.channels[channel]?.owner;
  return owner === undefined ? {} : { owner };
};

/**
 * What Vigil would do with a request at `now`, without posting: the routes that matched, each message,
 * and when a held one would post.
 */
export const explainRequest = (
  config: RoutingConfig,
  source: Source,
  request: WebhookRequest,
  now: Date = new Date(),
): { ok: true; explained: readonly Explained[]; note?: string } | { ok: false; error: string } => {
  const accepted = SOURCES[source].accept(request, now.toISOString());
  if (!accepted.ok) return { ok: false, error: `${accepted.error.status}: ${accepted.error.message}` };
  const explained = accepted.value.events.map((event) => {
    const decision = routeEvent(config, event, now);
    const messages = decision.destinations.map((destination) => ({
      channel: destination.channel,
      ...ownerOf(config, destination.channel),
      ...(destination.hold === undefined ? {} : { held: describeHold(destination.hold) }),
      message: withMentions(
        withBot(fitMessage(formatEvent(event)), config.channels[destination.channel] ?? undefined),
        destination.mention,
      ),
    }));
    return { event, decision, messages };
  });
  return { ok: true, explained, ...(accepted.value.note === undefined ? {} : { note: accepted.value.note }) };
};

export const renderExplained = (items: readonly Explained[]): string =>
  items
    .map(({ event, decision, messages }) =>
      [
        `${event.kind} (${event.id})`,
        `  matched: ${decision.matched.length === 0 ? 'no route' : decision.matched.join(' → ')}`,
        `  decided by: ${decision.decidedBy}`,
        decision.dropped
          ? '  dropped: nothing is posted'
          : `  posts to: ${messages
              .map(({ channel, owner }) =>
                owner === undefined ? channel : `${channel} (rate budget of ${owner})`,
              )
              .join(', ')}`,
        ...(decision.dropped
          ? []
          : [`  conversation: ${describeConversation(event, decision.destinations.find((d) => d.ci)?.ci)}`]),
        ...messages.flatMap(({ channel, held }) => (held === undefined ? [] : [`  ${channel}: ${held}`])),
        ...messages.map(({ channel, message }) => renderPreview(message, { channel, event })),
      ].join('\n'),
    )
    .join('\n\n');
