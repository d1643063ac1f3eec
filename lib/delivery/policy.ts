import * as v from 'valibot';
import { bounded, isoTime } from '../event/fields';
import { Location } from '../time/location';

/**
 * How a channel's events are delivered, defined once: routing files spell it on routes and channels, and
 * each queued message carries its `mention`, `digest` and `ci`, with the `hold` routing worked out from it.
 */
export const Mention = v.pipe(
  v.string('must be a Cliq mention like {@oncall@acme.com} or {@all}'),
  v.regex(/^\{@[^{}\s]+\}$/, 'must be a Cliq mention like {@oncall@acme.com} or {@all}'),
);

/**
 * `auto` merges a busy channel's waiting events, `always` any two, `never` none; `hourly` and `daily` hold
 * the events until the next top of the hour or `digest_at`.
 */
export const DIGEST_MODES = ['always', 'auto', 'never', 'hourly', 'daily'] as const;
export const DigestMode = v.picklist(DIGEST_MODES, 'must be always, auto, never, hourly or daily');
export type DigestMode = v.InferOutput<typeof DigestMode>;

/** CI on a branch: post on changes (default) or every run. */
export const CiMode = v.picklist(['changes', 'every'], 'must be changes or every');
export type CiMode = v.InferOutput<typeof CiMode>;

export const DEFAULT_DIGEST_AT = '09:00';

const oneOrMany = <T extends v.GenericSchema>(item: T) =>
  v.union([item, v.pipe(v.array(item), v.minLength(1, 'must list at least one value'))]);

const intervalName = v.pipe(v.string('must name a time interval'), v.minLength(1, 'must not be empty'));

export const DeliveryPolicy = v.object({
  mention: v.optional(oneOrMany(Mention)),
  digest: v.optional(DigestMode),
  /** When `digest: daily` posts, on the clock of `location`. */
  digest_at: v.optional(
    v.pipe(
      v.string('must be a time like "09:00"'),
      v.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be a time like "09:00" (00:00 to 23:59)'),
    ),
  ),
  /** The zone of `digest: hourly | daily` (default UTC); a time interval names its own. */
  location: v.optional(Location),
  ci: v.optional(CiMode),
  /** Names of `time_intervals`: while one is active, events wait for its end. */
  hold_during: v.optional(v.array(intervalName, 'must be a list of time interval names')),
  /** Whether critical events wait too (by default they pass through a hold). */
  hold_critical: v.optional(v.boolean('must be true or false')),
});
export type DeliveryPolicy = v.InferOutput<typeof DeliveryPolicy>;

/** Checks for an object that spreads DeliveryPolicy's entries: a digest's schedule goes with its digest. */
export const policyChecks = <T extends Pick<DeliveryPolicy, 'digest' | 'digest_at' | 'location'>>() =>
  [
    v.check<T, string>(
      (policy) => policy.digest_at === undefined || policy.digest === 'daily',
      '`digest_at` needs `digest: daily` beside it',
    ),
    v.check<T, string>(
      (policy) => policy.location === undefined || policy.digest === 'hourly' || policy.digest === 'daily',
      '`location` needs `digest: hourly` or `daily` beside it (a time interval names its own location)',
    ),
  ] as const;

/** When a queued event may post, and why it waits (`quiet-hours until 07:00 Europe/Berlin`, `hourly digest`). */
export const Hold = v.object({ until: isoTime, why: bounded(200) });
export type Hold = v.InferOutput<typeof Hold>;
