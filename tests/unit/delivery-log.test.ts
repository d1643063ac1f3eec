import { formatLatency, parseSince } from '../../tools/deliveries/delivery-log';

describe('parseSince', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  it.each([
    ['30m', '2026-12-01T11:30:00.000Z'],
    ['1h', '2026-12-01T11:00:00.000Z'],
    ['2d', '2026-11-29T12:00:00.000Z'],
    ['45s', '2026-12-01T11:59:15.000Z'],
    ['2026-11-30T08:15:00Z', '2026-11-30T08:15:00.000Z'],
    ['2026-11-30T08:15:00+02:00', '2026-11-30T06:15:00.000Z'],
    ['2026-11-30', '2026-11-30T00:00:00.000Z'],
  ])('reads %s', (text, expected) => {
    expect(parseSince(text, now)).toEqual({ ok: true, value: new Date(expected) });
  });

  it.each(['yesterday', '1 hour', '-1h', '1y', '', '12', '2026-13-45'])(
    'refuses %p, saying what it takes',
    (text) => {
      const parsed = parseSince(text, now);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain('a duration (30m, 1h, 2d) or an ISO time');
    },
  );
});

describe('formatLatency', () => {
  it.each([
    [850, '850ms'],
    [1300, '1.3s'],
    [245_000, '4m05s'],
    [4 * 3_600_000 + 10 * 60_000, '4h10m'],
  ])('shows %d ms as %s', (ms, text) => {
    expect(formatLatency(ms)).toBe(text);
  });
});
