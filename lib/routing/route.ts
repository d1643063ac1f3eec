import { type Held, holdUntil } from '../delivery/hold';
import { overridePolicy } from '../delivery/merge-policy';
import type { CiMode, DeliveryPolicy, DigestMode } from '../delivery/policy';
import type { VigilEvent } from '../event/model';
import { optional } from '../util/object';
import { matches } from './match';
import type { RoutingConfig } from './schema';

export interface RoutedDestination {
  readonly channel: string;
  readonly mention: readonly string[];
  readonly digest?: DigestMode;
  readonly ci?: CiMode;
  /** When the event may post, if its policy makes it wait (`hold_during`, `digest: hourly | daily`). */
  readonly hold?: Held;
}

export interface RouteDecision {
  readonly destinations: readonly RoutedDestination[];
  /** Names of the routes that matched, in order. */
  readonly matched: readonly string[];
  /** The route that decided (the first match without `continue`), or `default`. */
  readonly decidedBy: string;
  readonly dropped: boolean;
}

const list = <T>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value as T];

/**
 * Routes are tried in order. A matching route adds its channels; unless it says `continue: true` it also
 * decides, and no later route is tried. `drop: true` decides that the event goes nowhere further (channels
 * added by earlier `continue` routes keep it). `default` applies only when no route matched at all.
 * A channel reached twice is posted to once, with the mentions of both. Each channel's delivery policy is
 * its own, overridden key by key by each route that reaches it (overridePolicy); its hold is worked out
 * from that policy at `now`.
 */
export const routeEvent = (
  config: RoutingConfig,
  event: VigilEvent,
  now: Date = new Date(),
): RouteDecision => {
  const channelPolicy = (channel: string): DeliveryPolicy =>
    overridePolicy({}, config.channels[channel] ?? {});
  const destination = (channel: string, policy: DeliveryPolicy): RoutedDestination => {
    const hold = holdUntil({
      policy,
      intervals: config.time_intervals ?? [],
      severity: event.severity,
      now: now.getTime(),
    });
    return {
      channel,
      mention: list(policy.mention),
      ...optional('digest', policy.digest),
      ...optional('ci', policy.ci),
      ...optional('hold', hold),
    };
  };
  const byChannel = new Map<string, DeliveryPolicy>();
  const matched: string[] = [];
  let decidedBy: string | undefined;
  let dropped = false;
  for (const route of config.routes) {
    if (!matches(route.match, event)) continue;
    matched.push(route.name);
    if (route.drop === true) {
      dropped = true;
      decidedBy = route.name;
      break;
    }
    for (const channel of list(route.to))
      byChannel.set(channel, overridePolicy(byChannel.get(channel) ?? channelPolicy(channel), route));
    if (route.continue !== true) {
      decidedBy = route.name;
      break;
    }
  }
  if (matched.length === 0) {
    if (config.default === 'drop') return { destinations: [], matched, decidedBy: 'default', dropped: true };
    return {
      destinations: [destination(config.default, channelPolicy(config.default))],
      matched,
      decidedBy: 'default',
      dropped: false,
    };
  }
  const destinations = [...byChannel].map(([channel, policy]) => destination(channel, policy));
  return {
    destinations,
    matched,
    decidedBy: decidedBy ?? matched[matched.length - 1] ?? 'default',
    dropped: dropped && destinations.length === 0,
  };
};
