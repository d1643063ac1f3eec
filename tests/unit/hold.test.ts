import * as v from 'valibot';
import { holdUntil } from '../../lib/delivery/hold';
import type { DeliveryPolicy } from '../../lib/delivery/policy';
import type { Severity } from '../../lib/event/fields';
import { NamedTimeInterval } from '../../lib/time/interval-schema';

const BERLIN = 'Europe/Berlin';
const intervals = [
  // quiet hours as Alertmanager spells a range over midnight: two time ranges
  {
    name: 'quiet-hours',
    time_intervals: [
      {
        times: [
          { start_time: '22:00', end_time: '24:00' },
          { start_time: '00:00', end_time: '07:00' },
        ],
        location: BERLIN,
      },
    ],
  },
  { name: 'weekend', time_intervals: [{ weekdays: ['saturday', 'sunday'], location: BERLIN }] },
  { name: 'always', time_intervals: [{}] },
].map((raw) => v.parse(NamedTimeInterval, raw));

const hold = (policy: DeliveryPolicy, now: string, severity: Severity = 'warning') => {
  const held = holdUntil({ policy, intervals, severity, now: Date.parse(now) });
  return held === undefined ? undefined : { ...held, until: new Date(held.until).toISOString() };
};

describe('holdUntil: hold_during', () => {
  const quiet: DeliveryPolicy = { hold_during: ['quiet-hours'] };

  it('holds an event during quiet hours until they end', () => {
    expect(hold(quiet, '2026-12-07T22:30:00Z')).toEqual({
      until: '2026-12-08T06:00:00.000Z',
      why: 'quiet-hours until 07:00 Europe/Berlin',
      zone: BERLIN,
    });
  });

  it('does not hold outside them', () => {
    expect(hold(quiet, '2026-12-07T12:00:00Z')).toBeUndefined();
  });

  it('lets critical events through', () => {
    expect(hold(quiet, '2026-12-07T22:30:00Z', 'critical')).toBeUndefined();
  });

  it('holds critical events too with hold_critical: true', () => {
    expect(hold({ ...quiet, hold_critical: true }, '2026-12-07T22:30:00Z', 'critical')?.until).toBe(
      '2026-12-08T06:00:00.000Z',
    );
  });

  it('holds errors and infos like warnings', () => {
    expect(hold(quiet, '2026-12-07T22:30:00Z', 'error')?.until).toBe('2026-12-08T06:00:00.000Z');
    expect(hold(quiet, '2026-12-07T22:30:00Z', 'info')?.until).toBe('2026-12-08T06:00:00.000Z');
  });

  it('waits until none of its intervals is active, naming the date when it is a day or more away', () => {
    // Friday 23:30 in Berlin: quiet hours, then the weekend, then quiet hours again until Monday 07:00
    expect(hold({ hold_during: ['quiet-hours', 'weekend'] }, '2026-12-04T22:30:00Z')).toEqual({
      until: '2026-12-07T06:00:00.000Z',
      why: 'quiet-hours until 2026-12-07 07:00 Europe/Berlin',
      zone: BERLIN,
    });
  });

  it.each([
    ['the night the clocks go forward (07:00 CEST)', '2026-03-28T23:00:00Z', '2026-03-29T05:00:00.000Z'],
    ['the night the clocks go back (07:00 CET)', '2026-10-24T23:00:00Z', '2026-10-25T06:00:00.000Z'],
    ['01:30 CEST, before the clocks go back', '2026-10-24T23:30:00Z', '2026-10-25T06:00:00.000Z'],
  ])('ends quiet hours at 07:00 local time on %s', (_name, now, until) => {
    expect(hold(quiet, now)?.until).toBe(until);
  });

  it('gives up after 400 days on an interval that never ends', () => {
    expect(hold({ hold_during: ['always'] }, '2026-01-01T00:00:00Z')).toEqual({
      until: '2027-02-05T00:00:00.000Z',
      why: 'always for over 400 days',
      zone: 'UTC',
    });
  });
});

describe('holdUntil: scheduled digests', () => {
  it.each([
    ['the next top of the hour', 'UTC', '2026-12-07T12:34:56Z', '2026-12-07T13:00:00.000Z'],
    ['the next hour, at the top of one', 'UTC', '2026-12-07T13:00:00Z', '2026-12-07T14:00:00.000Z'],
    [
      'the top of the hour in India (UTC+05:30)',
      'Asia/Kolkata',
      '2026-12-07T12:34:00Z',
      '2026-12-07T13:30:00.000Z',
    ],
    ['02:00 CET as the clocks go back', BERLIN, '2026-10-25T00:10:00Z', '2026-10-25T01:00:00.000Z'],
    [
      '03:00 on Lord Howe, whose clocks skip 02:00 to 02:30',
      'Australia/Lord_Howe',
      '2026-10-03T15:15:00Z',
      '2026-10-03T16:00:00.000Z',
    ],
  ])('hourly releases at %s', (_name, location, now, until) => {
    expect(hold({ digest: 'hourly', location }, now)).toEqual({
      until,
      why: 'hourly digest',
      zone: location,
    });
  });

  it('hourly defaults to UTC', () => {
    expect(hold({ digest: 'hourly' }, '2026-12-07T12:34:56Z')?.zone).toBe('UTC');
  });

  it.each([
    ['later the same day', {}, '2026-12-07T08:00:00Z', '2026-12-07T09:00:00.000Z'],
    ['the next day once 09:00 has passed', {}, '2026-12-07T10:00:00Z', '2026-12-08T09:00:00.000Z'],
    ['the next day when it is 09:00 now', {}, '2026-12-07T09:00:00Z', '2026-12-08T09:00:00.000Z'],
    [
      'at digest_at in its location',
      { digest_at: '07:30', location: BERLIN },
      '2026-12-07T12:00:00Z',
      '2026-12-08T06:30:00.000Z',
    ],
    [
      'at 03:00 CEST when the clocks skip 02:30',
      { digest_at: '02:30', location: BERLIN },
      '2026-03-28T23:30:00Z',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'at the first 02:30 when the clocks repeat it',
      { digest_at: '02:30', location: BERLIN },
      '2026-10-25T00:10:00Z',
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'the next day, not at the repeated 02:30',
      { digest_at: '02:30', location: BERLIN },
      '2026-10-25T00:45:00Z',
      '2026-10-26T01:30:00.000Z',
    ],
    [
      'at midnight for 00:00',
      { digest_at: '00:00', location: BERLIN },
      '2026-12-07T12:00:00Z',
      '2026-12-07T23:00:00.000Z',
    ],
    ['across the end of a month', { digest_at: '06:00' }, '2026-02-28T07:00:00Z', '2026-03-01T06:00:00.000Z'],
  ])('daily releases %s', (_name, schedule, now, until) => {
    expect(hold({ digest: 'daily', ...schedule }, now)?.until).toBe(until);
  });

  it('says when a daily digest posts', () => {
    expect(hold({ digest: 'daily', location: BERLIN }, '2026-12-07T12:00:00Z')?.why).toBe(
      'daily digest at 09:00 Europe/Berlin',
    );
  });

  it('does not hold other digest modes', () => {
    for (const digest of ['always', 'auto', 'never'] as const)
      expect(hold({ digest }, '2026-12-07T12:00:00Z')).toBeUndefined();
  });

  it('lets critical events through a digest unless hold_critical', () => {
    expect(hold({ digest: 'hourly' }, '2026-12-07T12:30:00Z', 'critical')).toBeUndefined();
    expect(hold({ digest: 'hourly', hold_critical: true }, '2026-12-07T12:30:00Z', 'critical')?.until).toBe(
      '2026-12-07T13:00:00.000Z',
    );
  });
});

describe('holdUntil: quiet hours and a digest together', () => {
  it('takes the later: quiet hours outlast the hourly digest', () => {
    expect(hold({ hold_during: ['quiet-hours'], digest: 'hourly' }, '2026-12-07T22:30:00Z')?.why).toBe(
      'quiet-hours until 07:00 Europe/Berlin',
    );
  });

  it('takes the later: the daily digest comes after quiet hours', () => {
    expect(
      hold({ hold_during: ['quiet-hours'], digest: 'daily', location: BERLIN }, '2026-12-07T22:30:00Z'),
    ).toEqual({
      until: '2026-12-08T08:00:00.000Z',
      why: 'daily digest at 09:00 Europe/Berlin',
      zone: BERLIN,
    });
  });

  it('holds by the digest alone outside quiet hours', () => {
    expect(hold({ hold_during: ['quiet-hours'], digest: 'hourly' }, '2026-12-07T12:30:00Z')?.until).toBe(
      '2026-12-07T13:00:00.000Z',
    );
  });
});
