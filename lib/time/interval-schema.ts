import * as v from 'valibot';
import type { Result } from '../result';
import { Location } from './location';
import { parseClock, parseDaysOfMonth, parseMonths, parseWeekdays, parseYears, type Range } from './ranges';

/**
 * Alertmanager's `time_intervals`, in its syntax (the "time_interval" section of
 * https://prometheus.io/docs/alerting/latest/configuration/), read into numbers once: each field becomes
 * inclusive ranges, each time range minutes since midnight [start, end), the location defaults to UTC.
 */
const parsed = <T>(read: (text: string) => Result<T, string>) =>
  v.rawTransform<string, T>(({ dataset, addIssue, NEVER }) => {
    const result = read(dataset.value);
    if (result.ok) return result.value;
    addIssue({ message: result.error });
    return NEVER;
  });

const listOf = <T extends v.GenericSchema>(item: T, what: string) =>
  v.optional(
    v.pipe(
      v.array(item, `must be a list of ${what}`),
      v.minLength(1, `must list at least one value (leave it out to match every ${what.replace(/s$/, '')})`),
    ),
  );

/** Alertmanager also takes a bare YAML number for days, months and years. */
const textOrInteger = (rule: string) =>
  v.pipe(
    v.union([v.string(), v.pipe(v.number(), v.integer())], rule),
    v.transform((value) => String(value)),
  );

const rangeList = (read: (text: string) => Result<Range, string>, what: string, rule: string) =>
  listOf(v.pipe(textOrInteger(rule), parsed(read)), what);

const clock = v.pipe(v.string('must be a time as "HH:MM"'), parsed(parseClock));

const TimeRange = v.pipe(
  v.strictObject(
    { start_time: clock, end_time: clock },
    'has an unknown key (a time range takes start_time and end_time)',
  ),
  v.check(
    (range) => range.start_time < range.end_time,
    'must start before it ends (end_time is exclusive; a range over midnight is two: 22:00 to 24:00 and 00:00 to 07:00)',
  ),
  v.transform((range) => ({ start: range.start_time, end: range.end_time })),
);

export const TimeIntervalSpec = v.strictObject(
  {
    times: listOf(TimeRange, 'times'),
    weekdays: listOf(
      v.pipe(v.string('must be a weekday name, or a range like monday:friday'), parsed(parseWeekdays)),
      'weekdays',
    ),
    days_of_month: rangeList(parseDaysOfMonth, 'days', 'must be a day like 1 or -1, or a range like 1:5'),
    months: rangeList(parseMonths, 'months', 'must be a month like december or 12, or a range like 1:3'),
    years: rangeList(parseYears, 'years', 'must be a year like 2026, or a range like 2026:2027'),
    location: v.optional(Location, 'UTC'),
  },
  'has an unknown key (a time interval takes times, weekdays, days_of_month, months, years, location)',
);
export type TimeIntervalSpec = v.InferOutput<typeof TimeIntervalSpec>;

/** A named time interval: it is active when any of its `time_intervals` contains the instant. */
export const NamedTimeInterval = v.strictObject(
  {
    name: v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty')),
    time_intervals: v.pipe(
      v.array(TimeIntervalSpec, 'must be a list of time intervals'),
      v.minLength(1, 'must list at least one time interval'),
    ),
  },
  'has an unknown key (a named time interval takes name and time_intervals)',
);
export type NamedTimeInterval = v.InferOutput<typeof NamedTimeInterval>;
