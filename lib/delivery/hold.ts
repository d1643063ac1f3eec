import type { Severity } from '../event/fields';
import { activeIntervals, activeUntil, intervalContains } from '../time/interval';
import type { NamedTimeInterval } from '../time/interval-schema';
import { DAY, formatWall, HOUR, MINUTE, nextWallBoundary, wallClock } from '../time/zone';
import { clip } from '../util/text';
import { DEFAULT_DIGEST_AT, type DeliveryPolicy } from './policy';

/** Until when an event waits (epoch ms), why, and the zone `why` reads the time in (for showing `until`). */
export interface Held {
  readonly until: number;
  readonly why: string;
  readonly zone: string;
}

/** A hold that would last longer ends here: an interval active for over a year is a mistake, not a plan. */
export const HOLD_LIMIT_DAYS = 400;

const HOURS = Array.from({ length: 24 }, (_, hour) => hour * 60);

/** The next instant the clock in `zone` shows a whole hour. */
const nextTopOfHour = (now: number, zone: string): number => {
  let at = nextWallBoundary(now, zone, HOURS);
  // a daylight saving change may land on a half hour (Lord Howe): go on to the whole one
  for (let step = 0; step < 4 && wallClock(at, zone).msOfDay % HOUR !== 0; step++)
    at = nextWallBoundary(at, zone, HOURS);
  return at;
};

/**
 * The next instant the clock in `zone` reaches `time` (HH:MM): today's if it is still ahead, else
 * tomorrow's. On a day a daylight saving change skips it, the first instant after it (03:00 for 02:30);
 * on a day that repeats it, its first occurrence.
 */
const nextDaily = (now: number, zone: string, time: string): number => {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  const target = (hours * 60 + minutes) * MINUTE;
  const start = wallClock(now, zone);
  const day = start.msOfDay < target ? start.dayNumber : start.dayNumber + 1;
  let at = now;
  for (let step = 0; step < 8; step++) {
    at = nextWallBoundary(at, zone, [hours * 60 + minutes]);
    const clock = wallClock(at, zone);
    if (clock.dayNumber > day || (clock.dayNumber === day && clock.msOfDay >= target)) break;
  }
  return at;
};

const windowHold = (
  names: readonly string[],
  intervals: readonly NamedTimeInterval[],
  now: number,
): Held | undefined => {
  const active = activeIntervals(intervals, [...new Set(names)], now);
  if (active.length === 0) return undefined;
  const limit = now + HOLD_LIMIT_DAYS * DAY;
  const until = activeUntil(intervals, names, now, limit) ?? now;
  const first = intervals.find((interval) => interval.name === active[0]);
  const zone = first?.time_intervals.find((spec) => intervalContains(spec, now))?.location ?? 'UTC';
  const when =
    until >= limit
      ? `for over ${HOLD_LIMIT_DAYS} days`
      : `until ${formatWall(until, zone, { date: until - now >= DAY })} ${zone}`;
  return { until, why: clip(`${active.join(', ')} ${when}`, 200), zone };
};

const digestHold = (policy: DeliveryPolicy, now: number): Held | undefined => {
  const zone = policy.location ?? 'UTC';
  if (policy.digest === 'hourly') return { until: nextTopOfHour(now, zone), why: 'hourly digest', zone };
  if (policy.digest !== 'daily') return undefined;
  const at = policy.digest_at ?? DEFAULT_DIGEST_AT;
  return { until: nextDaily(now, zone, at), why: `daily digest at ${at} ${zone}`, zone };
};

/**
 * When an event may post under a delivery policy, or `undefined` for now. While one of its `hold_during`
 * intervals is active, it waits until none is; `digest: hourly | daily` waits for the next top of the hour
 * or `digest_at` (in `location`, default UTC); when both apply, the later wins. Critical events pass
 * through every hold unless the policy says `hold_critical: true`.
 */
export const holdUntil = ({
  policy,
  intervals,
  severity,
  now,
}: {
  readonly policy: DeliveryPolicy;
  readonly intervals: readonly NamedTimeInterval[];
  readonly severity: Severity;
  /** Epoch milliseconds. */
  readonly now: number;
}): Held | undefined => {
  if (severity === 'critical' && policy.hold_critical !== true) return undefined;
  const window =
    policy.hold_during === undefined ? undefined : windowHold(policy.hold_during, intervals, now);
  const digest = digestHold(policy, now);
  if (window === undefined || digest === undefined) return window ?? digest;
  return digest.until > window.until ? digest : window;
};

/** `held (quiet-hours until 07:00 Europe/Berlin): posts at 2026-12-08 07:00 Europe/Berlin`, for tools. */
export const describeHold = (held: Held): string =>
  `held (${held.why}): posts at ${formatWall(held.until, held.zone, { date: true })} ${held.zone}`;
