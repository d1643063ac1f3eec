import type { NamedTimeInterval, TimeIntervalSpec } from './interval-schema';
import type { Range } from './ranges';
import { nextWallBoundary, type WallClock, wallClock } from './zone';

const within = (value: number, ranges: readonly Range[] | undefined): boolean =>
  ranges === undefined || ranges.some(([first, last]) => value >= first && value <= last);

const clamp = (value: number, bound: number): number => Math.min(Math.max(value, -bound), bound);

/** A day-of-month range in this month: negative days count from its end, and it is clamped to the month. */
const dayWithin = ([first, last]: Range, clock: WallClock): boolean => {
  const days = clock.daysInMonth;
  const begin = first < 0 ? days + first + 1 : first;
  const end = last < 0 ? days + last + 1 : last;
  if (begin > days) return false;
  return clock.day >= clamp(begin, days) && clock.day <= clamp(end, days);
};

/**
 * Whether an instant is in a time interval: every field it gives must match (a field left out matches
 * anything), read on the clock of its location. Alertmanager's `ContainsTime`, field by field.
 */
export const intervalContains = (spec: TimeIntervalSpec, ms: number): boolean => {
  const clock = wallClock(ms, spec.location);
  const minute = Math.floor(clock.msOfDay / 60_000);
  if (spec.times !== undefined && !spec.times.some((range) => minute >= range.start && minute < range.end))
    return false;
  if (spec.days_of_month !== undefined && !spec.days_of_month.some((range) => dayWithin(range, clock)))
    return false;
  return (
    within(clock.month, spec.months) && within(clock.weekday, spec.weekdays) && within(clock.year, spec.years)
  );
};

/** The names, of those given, whose time interval is active at `ms` (any of its entries contains it). */
export const activeIntervals = (
  intervals: readonly NamedTimeInterval[],
  names: readonly string[],
  ms: number,
): string[] =>
  names.filter((name) =>
    intervals.some(
      (interval) =>
        interval.name === name && interval.time_intervals.some((spec) => intervalContains(spec, ms)),
    ),
  );

/**
 * The first instant after `now` at which none of the named intervals is active, or `undefined` when none is
 * active at `now`; `limit` when they stay active that long. It steps from one instant at which a clock of
 * theirs could change what they match (a time range's edge, a midnight, a daylight saving change) to the
 * next, so a week-long interval takes a few steps, not ten thousand minutes.
 */
export const activeUntil = (
  intervals: readonly NamedTimeInterval[],
  names: readonly string[],
  now: number,
  limit: number,
): number | undefined => {
  if (activeIntervals(intervals, names, now).length === 0) return undefined;
  const edges = new Map<string, Set<number>>();
  for (const interval of intervals) {
    if (!names.includes(interval.name)) continue;
    for (const spec of interval.time_intervals) {
      const minutes = edges.get(spec.location) ?? new Set<number>();
      for (const range of spec.times ?? []) minutes.add(range.start).add(range.end);
      edges.set(spec.location, minutes);
    }
  }
  let at = now;
  while (at < limit) {
    const from = at;
    at = Math.min(...[...edges].map(([zone, minutes]) => nextWallBoundary(from, zone, [...minutes])));
    if (activeIntervals(intervals, names, at).length === 0) return Math.min(at, limit);
  }
  return limit;
};
