/**
 * Wall clocks in IANA time zones, from Node's ICU time zone data (`Intl`): what a clock in a zone reads at
 * an instant, and the next instant at which that reading crosses a given time of day.
 */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface WallClock {
  readonly year: number;
  /** 1 = January. */
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday, as Alertmanager (and Go) count. */
  readonly weekday: number;
  readonly daysInMonth: number;
  /** Milliseconds since the local midnight, as the clock reads them. */
  readonly msOfDay: number;
  /** Local date as a day number (days since 1970-01-01), to compare dates. */
  readonly dayNumber: number;
  /** Local time minus UTC. */
  readonly offsetMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (zone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
};

/** Whether `Intl` knows the zone (an IANA name such as Europe/Berlin, or UTC). */
export const knowsTimeZone = (zone: string): boolean => {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
};

/** The local clock time in `zone` as if it were UTC, in epoch ms. */
const wallMs = (ms: number, zone: string): number => {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(ms))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const subsecond = ((ms % 1000) + 1000) % 1000;
  return Date.UTC(year, month - 1, day, hour, minute, second) + subsecond;
};

export const wallClock = (ms: number, zone: string): WallClock => {
  const wall = wallMs(ms, zone);
  const date = new Date(wall);
  const dayNumber = Math.floor(wall / DAY);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    weekday: date.getUTCDay(),
    daysInMonth: new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate(),
    msOfDay: wall - dayNumber * DAY,
    dayNumber,
    offsetMs: wall - ms,
  };
};

const offsetAt = (ms: number, zone: string): number => wallMs(ms, zone) - ms;

/**
 * The first instant after `ms` at which the clock in `zone` reaches one of `minutesOfDay` (minutes since
 * midnight) or the next midnight, or jumps (a daylight saving change: the clock then reads a time it did
 * not reach by ticking). Between two such instants the clock ticks evenly, so nothing that depends only on
 * its reading (time of day, date, weekday) changes. Assumes no zone changes its offset twice within a day.
 */
export const nextWallBoundary = (ms: number, zone: string, minutesOfDay: readonly number[]): number => {
  const { msOfDay, offsetMs } = wallClock(ms, zone);
  let step = DAY - msOfDay;
  for (const minute of minutesOfDay) {
    const ahead = minute * MINUTE - msOfDay;
    if (ahead > 0 && ahead < step) step = ahead;
  }
  const candidate = ms + step;
  if (offsetAt(candidate, zone) === offsetMs) return candidate;
  // the offset changes on the way: the first millisecond with the new one
  let before = ms;
  let after = candidate;
  while (after - before > 1) {
    const middle = before + Math.floor((after - before) / 2);
    if (offsetAt(middle, zone) === offsetMs) before = middle;
    else after = middle;
  }
  return after;
};

const pad = (value: number): string => String(value).padStart(2, '0');

/** `07:00`, or `2026-12-07 07:00` with the date: how the clock in `zone` reads at `ms`. */
export const formatWall = (ms: number, zone: string, options: { readonly date: boolean }): string => {
  const clock = wallClock(ms, zone);
  const minutes = Math.floor(clock.msOfDay / MINUTE);
  const time = `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  return options.date ? `${clock.year}-${pad(clock.month)}-${pad(clock.day)} ${time}` : time;
};
