import { resolveChannel } from '../channels';
import { namedOwner } from '../cliq/channel-url';
import type { VigilEvent } from '../event/model';
import { NotConfiguredError, type WebhookError } from '../http/errors';
import type { Destination } from '../queue/message';
import { err, ok, type Result } from '../result';
import { type RouteDecision, routeEvent } from '../routing/route';
import type { RoutingConfig } from '../routing/schema';
import type { Secrets } from '../secrets';

export interface Routed {
  readonly destinations: readonly Destination[];
  readonly decision: RouteDecision;
}

/** `now` is when routing works out holds (quiet hours, scheduled digests): ingest passes its clock. */
export type ResolveDestinations = (
  event: VigilEvent,
  secrets: Secrets,
  now: Date,
) => Result<Routed, WebhookError>;

/** Everything to the default channel: the policy when routing is not the point of a test. */
export const EVERYTHING_TO_DEFAULT: RoutingConfig = { default: 'default', channels: {}, routes: [] };

/**
 * The routing rules decide the channels; each channel's owner becomes the FIFO group, so every post that
 * spends one Cliq user's budget is serialized. The owner is the user the routing file names for the channel
 * (`owner: alice`), else a hash of the channel's Cliq token. A channel without a URL fails the request with
 * 503 naming the key (locally it previews instead).
 */
export const routedDestinations =
  (options: { readonly config: RoutingConfig; readonly previewWhenUnset: boolean }): ResolveDestinations =>
  (event, secrets, now) => {
    const decision = routeEvent(options.config, event, now);
    const destinations: Destination[] = [];
    for (const target of decision.destinations) {
      const channel = resolveChannel(target.channel, secrets, options);
      if (!channel.ok) return err(new NotConfiguredError(channel.error));
      const named = options.config.channels[target.channel]?.owner;
      const byToken = channel.value.kind === 'cliq' ? channel.value.target.owner : channel.value.owner;
      destinations.push({
        channel: target.channel,
        owner: named === undefined ? byToken : namedOwner(named),
        mention: target.mention,
        ...(target.digest === undefined ? {} : { digest: target.digest }),
        ...(target.ci === undefined ? {} : { ci: target.ci }),
        ...(target.hold === undefined ? {} : { hold: { until: target.hold.until, why: target.hold.why } }),
      });
    }
    return ok({ destinations, decision });
  };

export const defaultDestinations = (options: { readonly previewWhenUnset: boolean }): ResolveDestinations =>
  routedDestinations({ ...options, config: EVERYTHING_TO_DEFAULT });
