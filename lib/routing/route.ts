import type { VigilEvent } from '../event/model';
import { matches } from './match';
import type { RoutingConfig } from './schema';

export type DigestMode = 'always' | 'auto' | 'never';

export type CiMode = 'changes' | 'every';

export interface RoutedDestination {
  readonly channel: string;
  readonly mention: readonly string[];
  readonly digest?: DigestMode;
  readonly ci?: CiMode;
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
 * A channel reached twice is posted to once, with the mentions of both.
 */
export const routeEvent = (config: RoutingConfig, event: VigilEvent): RouteDecision => {
  const byChannel = new Map<string, { mention: Set<string>; digest?: DigestMode; ci?: CiMode }>();
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
    for (const channel of list(route.to)) {
      const entry = byChannel.get(channel) ?? { mention: new Set<string>() };
      for (const mention of list(route.mention)) entry.mention.add(mention);
      if (route.digest !== undefined) entry.digest = route.digest;
      if (route.ci !== undefined) entry.ci = route.ci;
      byChannel.set(channel, entry);
    }
    if (route.continue !== true) {
      decidedBy = route.name;
      break;
    }
  }
  if (matched.length === 0) {
    if (config.default === 'drop') return { destinations: [], matched, decidedBy: 'default', dropped: true };
    return {
      destinations: [{ channel: config.default, mention: [] }],
      matched,
      decidedBy: 'default',
      dropped: false,
    };
  }
  const destinations = [...byChannel].map(([channel, { mention, digest, ci }]) => ({
    channel,
    mention: [...mention],
    ...(digest === undefined ? {} : { digest }),
    ...(ci === undefined ? {} : { ci }),
  }));
  return {
    destinations,
    matched,
    decidedBy: decidedBy ?? matched[matched.length - 1] ?? 'default',
    dropped: dropped && destinations.length === 0,
  };
};
