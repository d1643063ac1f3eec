import { err, ok, type Result } from '../result';

/**
 * The values of Alertmanager's time interval fields, read as Alertmanager's `timeinterval` package reads
 * them: `first:last` or one value, case-insensitive, inclusive on both ends; days of the month may count
 * from its end (-1 is the last day). Where Alertmanager accepts a value that can never match or depends on
 * the machine (month 0 or 13, a year before 1), it is refused here, saying why.
 */
export type Range = readonly [number, number];

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** `a:b` or `a`, lower-cased and split as Alertmanager splits it (no trimming). */
const ends = (text: string): Result<readonly [string, string], string> => {
  const parts = text.toLowerCase().split(':');
  const [first = '', last = first] = parts;
  return parts.length > 2
    ? err(`"${text}" is not a range: write one value, or first:last`)
    : ok([first, last]);
};

const integer = (text: string): number | undefined => (/^[+-]?\d+$/.test(text) ? Number(text) : undefined);

const rangeOf = (
  text: string,
  member: (value: string) => Result<number, string>,
): Result<readonly [number, number], string> => {
  const parts = ends(text);
  if (!parts.ok) return parts;
  const first = member(parts.value[0]);
  if (!first.ok) return first;
  const last = member(parts.value[1]);
  return last.ok ? ok([first.value, last.value]) : last;
};

export const parseWeekdays = (text: string): Result<Range, string> => {
  const range = rangeOf(text, (name) => {
    const day = WEEKDAYS.indexOf(name);
    return day >= 0 ? ok(day) : err(`"${name}" is not a weekday: use sunday, monday, … saturday`);
  });
  if (!range.ok) return range;
  const [first, last] = range.value;
  return first > last
    ? err(
        `"${text}" runs backwards: weeks run sunday to saturday here, so list ["saturday", "sunday"] instead`,
      )
    : range;
};

export const parseDaysOfMonth = (text: string): Result<Range, string> => {
  const range = rangeOf(text, (value) => {
    const day = integer(value);
    return day !== undefined && day !== 0 && day >= -31 && day <= 31
      ? ok(day)
      : err(
          `"${value}" is not a day of the month: use 1 to 31, or -1 to -31 counting back from the month’s end`,
        );
  });
  if (!range.ok) return range;
  const [first, last] = range.value;
  if (first < 0 && last > 0)
    return err(`"${text}" starts from the month’s end, so it must end so too (such as -3:-1)`);
  // a negative day is at least day 28 + it, in the shortest month: catch ranges that are always empty
  const earliest = (day: number) => (day < 0 ? 28 + day : day);
  return earliest(first) > earliest(last) ? err(`"${text}" ends before it starts`) : range;
};

export const parseMonths = (text: string): Result<Range, string> => {
  const range = rangeOf(text, (value) => {
    const byName = MONTHS.indexOf(value) + 1;
    const month = byName > 0 ? byName : integer(value);
    return month !== undefined && month >= 1 && month <= 12
      ? ok(month)
      : err(`"${value}" is not a month: use january … december, or 1 to 12`);
  });
  if (!range.ok) return range;
  const [first, last] = range.value;
  return first > last
    ? err(
        `"${text}" ends before it starts: list a range that spans new year as two ("november:december", "1:2")`,
      )
    : range;
};

export const parseYears = (text: string): Result<Range, string> => {
  const range = rangeOf(text, (value) => {
    const year = integer(value);
    return year !== undefined && year >= 1 ? ok(year) : err(`"${value}" is not a year`);
  });
  if (!range.ok) return range;
  return range.value[0] > range.value[1] ? err(`"${text}" ends before it starts`) : range;
};

const CLOCK = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** `HH:MM` as minutes since midnight: 00:00 to 23:59, and 24:00 (the end of the day). */
export const parseClock = (text: string): Result<number, string> => {
  const match = CLOCK.exec(text);
  if (match === null) return err(`"${text}" must be a time as HH:MM, from 00:00 to 24:00`);
  const hours = Number(match[1] ?? match[3]);
  const minutes = Number(match[2] ?? match[4]);
  return ok(hours * 60 + minutes);
};
