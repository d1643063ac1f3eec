import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import { activeIntervals, activeUntil, intervalContains } from '../../lib/time/interval';
import { NamedTimeInterval, TimeIntervalSpec } from '../../lib/time/interval-schema';

/**
 * Alertmanager's time interval semantics, as its documentation states them: the "time_interval" section of
 * https://prometheus.io/docs/alerting/latest/configuration/ (and its `timeinterval` package, which these
 * cases were checked against). Every field is a list; a field left out matches anything; an instant matches
 * an interval when every given field matches; ranges are inclusive, a time range's end is exclusive.
 */
const spec = (raw: Record<string, unknown>) => {
  const parsed = v.safeParse(TimeIntervalSpec, raw);
  if (!parsed.success) throw new Error(parsed.issues.map((issue) => issue.message).join('; '));
  return parsed.output;
};
const at = (iso: string) => Date.parse(iso);

const BUSINESS = { times: [{ start_time: '09:00', end_time: '17:00' }] };
const EVENING = { times: [{ start_time: '17:00', end_time: '24:00' }] };
const BERLIN = 'Europe/Berlin';

const cases: [string, Record<string, unknown>, string, boolean][] = [
  ['a time range includes its start', BUSINESS, '2026-12-07T09:00:00.000Z', true],
  ['a time range excludes its end', BUSINESS, '2026-12-07T17:00:00.000Z', false],
  ['a time range includes the minute before its end', BUSINESS, '2026-12-07T16:59:59.999Z', true],
  ['24:00 ends a range at midnight: 23:59 is in', EVENING, '2026-12-07T23:59:30.000Z', true],
  ['24:00 ends a range at midnight: 00:00 is out', EVENING, '2026-12-08T00:00:00.000Z', false],
  ['an interval with no fields matches any instant', {}, '2031-02-03T04:05:06.000Z', true],
  ['weekday ranges are inclusive (monday)', { weekdays: ['monday:friday'] }, '2026-12-07T00:00:00Z', true],
  ['weekday ranges are inclusive (friday)', { weekdays: ['monday:friday'] }, '2026-12-11T23:59:00Z', true],
  ['saturday is not in monday:friday', { weekdays: ['monday:friday'] }, '2026-12-05T12:00:00Z', false],
  ['weekday names are case-insensitive', { weekdays: ['Saturday', 'SUNDAY'] }, '2026-12-06T12:00:00Z', true],
  ['days 1:5 include the 5th', { days_of_month: ['1:5'] }, '2026-12-05T23:00:00Z', true],
  ['days 1:5 exclude the 6th', { days_of_month: ['1:5'] }, '2026-12-06T00:00:00Z', false],
  ['-1 is the last day of the month (30 April)', { days_of_month: ['-1'] }, '2026-04-30T12:00:00Z', true],
  ['-1 is not the day before', { days_of_month: ['-1'] }, '2026-04-29T12:00:00Z', false],
  [
    '-3:-1 in a 28-day February starts on the 26th',
    { days_of_month: ['-3:-1'] },
    '2026-02-26T00:00:00Z',
    true,
  ],
  [
    '-3:-1 in a 28-day February excludes the 25th',
    { days_of_month: ['-3:-1'] },
    '2026-02-25T23:59:00Z',
    false,
  ],
  ['-3:-1 in a leap February starts on the 27th', { days_of_month: ['-3:-1'] }, '2028-02-27T00:00:00Z', true],
  ['-3:-1 in a leap February excludes the 26th', { days_of_month: ['-3:-1'] }, '2028-02-26T12:00:00Z', false],
  ['-3:-1 in December is 29 to 31', { days_of_month: ['-3:-1'] }, '2026-12-29T00:00:00Z', true],
  ['1:31 is clamped to the end of February', { days_of_month: ['1:31'] }, '2026-02-28T12:00:00Z', true],
  ['day 31 never matches in April', { days_of_month: ['31'] }, '2026-04-30T12:00:00Z', false],
  ['1:-1 is the whole month', { days_of_month: ['1:-1'] }, '2026-02-28T12:00:00Z', true],
  ['-31:-28 in February is clamped to the 1st', { days_of_month: ['-31:-28'] }, '2026-02-01T12:00:00Z', true],
  ['-31:-28 in February ends on the 1st', { days_of_month: ['-31:-28'] }, '2026-02-02T12:00:00Z', false],
  ['a bare YAML number is a day', { days_of_month: [7] }, '2026-12-07T12:00:00Z', true],
  ['months by number', { months: ['1:3', 'december'] }, '2026-03-31T23:59:00Z', true],
  ['months by name', { months: ['1:3', 'december'] }, '2026-12-01T00:00:00Z', true],
  ['a month outside the list', { months: ['1:3', 'december'] }, '2026-04-01T00:00:00Z', false],
  ['month names are case-insensitive', { months: ['May:August'] }, '2026-08-31T12:00:00Z', true],
  ['year ranges are inclusive', { years: ['2026:2027'] }, '2027-12-31T23:59:59Z', true],
  ['a year after the range', { years: ['2026:2027'] }, '2028-01-01T00:00:00Z', false],
  ['every field must match', { ...BUSINESS, weekdays: ['monday'] }, '2026-12-07T18:00:00Z', false],
  ['every field matches', { ...BUSINESS, weekdays: ['monday'] }, '2026-12-07T10:00:00Z', true],
  [
    'one time range of several is enough',
    { times: [BUSINESS.times[0], EVENING.times[0]] },
    '2026-12-07T20:00:00Z',
    true,
  ],
  // location: the fields are read on that zone's clock
  ['09:00 in Berlin in winter is 08:00 UTC', { ...BUSINESS, location: BERLIN }, '2026-12-07T08:00:00Z', true],
  ['07:59 UTC is 08:59 in Berlin', { ...BUSINESS, location: BERLIN }, '2026-12-07T07:59:00Z', false],
  ['09:00 in Berlin in summer is 07:00 UTC', { ...BUSINESS, location: BERLIN }, '2026-07-07T07:00:00Z', true],
  [
    'Sunday 23:30 UTC is already Monday in Berlin',
    { weekdays: ['monday'], location: BERLIN },
    '2026-12-06T23:30:00Z',
    true,
  ],
  ['…but not in UTC', { weekdays: ['monday'] }, '2026-12-06T23:30:00Z', false],
  [
    'the last day of the month in Sydney',
    { days_of_month: ['-1'], location: 'Australia/Sydney' },
    '2026-11-30T14:00:00Z',
    false,
  ],
  [
    'the first of the month in Sydney is still the 30th in UTC',
    { days_of_month: ['1'], location: 'Australia/Sydney' },
    '2026-11-30T14:00:00Z',
    true,
  ],
  // daylight saving in Berlin: 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET
  [
    'spring: 01:59 CET is in 01:00–03:00',
    { times: [{ start_time: '01:00', end_time: '03:00' }], location: BERLIN },
    '2026-03-29T00:59:00Z',
    true,
  ],
  [
    'spring: the clock jumps to 03:00, out of 01:00–03:00',
    { times: [{ start_time: '01:00', end_time: '03:00' }], location: BERLIN },
    '2026-03-29T01:00:00Z',
    false,
  ],
  [
    'spring: 02:00–03:00 never happens that day (before)',
    { times: [{ start_time: '02:00', end_time: '03:00' }], location: BERLIN },
    '2026-03-29T00:59:59Z',
    false,
  ],
  [
    'spring: 02:00–03:00 never happens that day (after)',
    { times: [{ start_time: '02:00', end_time: '03:00' }], location: BERLIN },
    '2026-03-29T01:00:00Z',
    false,
  ],
  [
    'autumn: 02:00–03:00 matches 02:00 CEST',
    { times: [{ start_time: '02:00', end_time: '03:00' }], location: BERLIN },
    '2026-10-25T00:00:00Z',
    true,
  ],
  [
    'autumn: …and again 02:00 CET, an hour later',
    { times: [{ start_time: '02:00', end_time: '03:00' }], location: BERLIN },
    '2026-10-25T01:30:00Z',
    true,
  ],
  [
    'autumn: 03:00 CET is out',
    { times: [{ start_time: '02:00', end_time: '03:00' }], location: BERLIN },
    '2026-10-25T02:00:00Z',
    false,
  ],
];

describe('intervalContains (Alertmanager time_interval semantics)', () => {
  it.each(cases)('%s', (_name, raw, iso, expected) => {
    expect(intervalContains(spec(raw), at(iso))).toBe(expected);
  });
});

const named = (name: string, ...specs: Record<string, unknown>[]): NamedTimeInterval => ({
  name,
  time_intervals: specs.map(spec),
});

describe('a named time interval', () => {
  const intervals = [
    named('weekend', { weekdays: ['saturday', 'sunday'], location: BERLIN }),
    named('nights', { times: [EVENING.times[0]] }, { times: [{ start_time: '00:00', end_time: '07:00' }] }),
  ];

  it('is active when any of its entries contains the instant', () => {
    expect(activeIntervals(intervals, ['nights'], at('2026-12-08T03:00:00Z'))).toEqual(['nights']);
    expect(activeIntervals(intervals, ['nights'], at('2026-12-08T20:00:00Z'))).toEqual(['nights']);
    expect(activeIntervals(intervals, ['nights'], at('2026-12-08T12:00:00Z'))).toEqual([]);
  });

  it('ends at the first instant none of the named intervals is active', () => {
    // Saturday 23:00 UTC: the weekend (Berlin) runs to Monday 00:00 CET, the night on to 07:00 UTC
    expect(
      new Date(activeUntil(intervals, ['weekend', 'nights'], at('2026-12-05T23:00:00Z'), Infinity) ?? 0),
    ).toEqual(new Date('2026-12-07T07:00:00Z'));
    expect(activeUntil(intervals, ['weekend'], at('2026-12-08T12:00:00Z'), Infinity)).toBeUndefined();
  });

  it('ends when the clock jumps past it on a daylight saving day', () => {
    const early = [named('early', { times: [{ start_time: '00:00', end_time: '02:30' }], location: BERLIN })];
    // 01:30 CET; at 02:00 CET the clock jumps to 03:00 CEST, past 02:30
    expect(new Date(activeUntil(early, ['early'], at('2026-03-29T00:30:00Z'), Infinity) ?? 0)).toEqual(
      new Date('2026-03-29T01:00:00Z'),
    );
    // 02:15 CEST: ends at 02:30 CEST, though 02:00 CET comes again half an hour later
    expect(new Date(activeUntil(early, ['early'], at('2026-10-25T00:15:00Z'), Infinity) ?? 0)).toEqual(
      new Date('2026-10-25T00:30:00Z'),
    );
  });

  it('steps from edge to edge: an interval that never ends reaches a 400-day limit at once', () => {
    const started = Date.now();
    const limit = at('2026-01-01T00:00:00Z') + 400 * 86_400_000;
    expect(activeUntil([named('always', {})], ['always'], at('2026-01-01T00:00:00Z'), limit)).toBe(limit);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

/**
 * The same `time_intervals` blocks, checked by Alertmanager's own amtool when it is installed (Debian's
 * `amtool check-config`). Vigil refuses a few blocks Alertmanager accepts, each because it could never
 * match, or would match by the machine's clock: those are listed as such.
 */
const blocks: [string, string, 'both' | 'vigil refuses' | 'both refuse'][] = [
  [
    'every field',
    '{ times: [{ start_time: "09:00", end_time: "24:00" }], weekdays: ["Monday:friday", saturday], days_of_month: ["1:5", "-3:-1", 7], months: ["1:3", december, 5], years: ["2026:2027", 2030], location: Europe/Berlin }',
    'both',
  ],
  ['an empty interval', '{}', 'both'],
  ['1:-1', '{ days_of_month: ["1:-1"] }', 'both'],
  ['-31:-28', '{ days_of_month: ["-31:-28"] }', 'both'],
  ['00:00 to 24:00', '{ times: [{ start_time: "00:00", end_time: "24:00" }] }', 'both'],
  ['a zone alias', '{ location: US/Pacific }', 'both'],
  ['UTC', '{ location: UTC }', 'both'],
  ['9:00 without its leading zero', '{ times: [{ start_time: "9:00", end_time: "10:00" }] }', 'both refuse'],
  [
    'a range that ends where it starts',
    '{ times: [{ start_time: "10:00", end_time: "10:00" }] }',
    'both refuse',
  ],
  ['24:01', '{ times: [{ start_time: "23:59", end_time: "24:01" }] }', 'both refuse'],
  ['a start without an end', '{ times: [{ start_time: "10:00" }] }', 'both refuse'],
  ['saturday:sunday', '{ weekdays: ["saturday:sunday"] }', 'both refuse'],
  ['an abbreviated weekday', '{ weekdays: [mon] }', 'both refuse'],
  ['spaces around the colon', '{ weekdays: ["monday : friday"] }', 'both refuse'],
  ['a weekday by number', '{ weekdays: ["1"] }', 'both refuse'],
  ['day 0', '{ days_of_month: ["0"] }', 'both refuse'],
  ['day 32', '{ days_of_month: ["32"] }', 'both refuse'],
  ['-3:5', '{ days_of_month: ["-3:5"] }', 'both refuse'],
  ['-1:-3', '{ days_of_month: ["-1:-3"] }', 'both refuse'],
  ['5:1', '{ days_of_month: ["5:1"] }', 'both refuse'],
  ['1:2:3', '{ days_of_month: ["1:2:3"] }', 'both refuse'],
  ['march:january', '{ months: ["march:january"] }', 'both refuse'],
  ['an abbreviated month', '{ months: [dec] }', 'both refuse'],
  ['2027:2026', '{ years: ["2027:2026"] }', 'both refuse'],
  ['a word for a year', '{ years: [abc] }', 'both refuse'],
  ['a zone in the wrong case', '{ location: europe/berlin }', 'both refuse'],
  ['utc in lower case', '{ location: utc }', 'both refuse'],
  ['an unknown key', '{ foo: 1 }', 'both refuse'],
  ['month 0', '{ months: ["0"] }', 'vigil refuses'],
  ['month 13', '{ months: ["13"] }', 'vigil refuses'],
  ['year 0', '{ years: ["0"] }', 'vigil refuses'],
  ['an empty list', '{ weekdays: [] }', 'vigil refuses'],
  ['Local', '{ location: Local }', 'vigil refuses'],
  ['an empty location', '{ location: "" }', 'vigil refuses'],
];

/** A named interval with the block as its one entry, read by the schema the routing file uses. */
const vigilReads = (block: string) =>
  v.safeParse(NamedTimeInterval, parseYaml(`{ name: t, time_intervals: [${block}] }`));

describe('which time_intervals blocks Vigil takes', () => {
  it.each(blocks)('%s', (_name, block, verdict) => {
    const parsed = vigilReads(block);
    if (verdict === 'both' && !parsed.success)
      throw new Error(parsed.issues.map((issue) => issue.message).join('; '));
    expect(parsed.success).toBe(verdict === 'both');
  });
});

const hasAmtool = spawnSync('amtool', ['--version']).error === undefined;

(hasAmtool ? describe : describe.skip)('amtool check-config agrees (skipped without amtool)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-amtool-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(blocks)('%s', (name, block, verdict) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.yml`);
    writeFileSync(
      file,
      `route: { receiver: r }\nreceivers: [{ name: r }]\ntime_intervals:\n  - name: t\n    time_intervals: [${block}]\n`,
    );
    const amtool = spawnSync('amtool', ['check-config', file], { encoding: 'utf8' });
    expect({ name, alertmanagerAccepts: amtool.status === 0 }).toEqual({
      name,
      alertmanagerAccepts: verdict !== 'both refuse',
    });
  });
});
