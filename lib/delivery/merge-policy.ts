import { defined } from '../util/object';
import type { DeliveryPolicy } from './policy';

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/**
 * `over` on top of `base`, key by key: what `over` says wins (a route over its channel, a later route over
 * an earlier one reaching the same channel). Two exceptions: mentions add up, so a channel reached by two
 * routes pings the people of both; and a digest comes with its own schedule, so `over`'s `digest` replaces
 * `base`'s `digest`, `digest_at` and `location` together.
 */
export const overridePolicy = (base: DeliveryPolicy, over: DeliveryPolicy): DeliveryPolicy => {
  const schedule = over.digest === undefined ? base : over;
  const mention = [...new Set([...list(base.mention), ...list(over.mention)])];
  return defined({
    mention: mention.length === 0 ? undefined : mention,
    digest: schedule.digest,
    digest_at: schedule.digest_at,
    location: schedule.location,
    ci: over.ci ?? base.ci,
    hold_during: over.hold_during ?? base.hold_during,
    hold_critical: over.hold_critical ?? base.hold_critical,
  });
};
