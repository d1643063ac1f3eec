import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VigilEvent } from '../../lib/event/model';
import type { WebhookRequest } from '../../lib/http/request';
import { routedDestinations } from '../../lib/ingest/destinations';
import { toOutbound } from '../../lib/queue/message';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { describeProblem, parseRoutingConfig } from '../../lib/routing/parse';
import { routeEvent } from '../../lib/routing/route';
import type { RoutingConfig } from '../../lib/routing/schema';
import { githubEvent, octokitExample } from '../../tools/harness/github';
import { explainRequest, renderExplained } from '../../tools/route/explain';
import { githubPush } from '../helpers/github-push';
import { ingestFor } from '../helpers/ingest';

const parse = (text: string): RoutingConfig => {
  const parsed = parseRoutingConfig(text, 'vigil.config.yaml');
  if (!parsed.ok) throw new Error(parsed.error.map(describeProblem).join('\n'));
  return parsed.value;
};

const event = (overrides: Partial<VigilEvent> = {}): VigilEvent =>
  ({ ...githubPush('d'), ...overrides }) as VigilEvent;

const QUIET_HOURS = `
time_intervals:
  - name: quiet-hours
    time_intervals:
      - times: [{ start_time: "22:00", end_time: "24:00" }, { start_time: "00:00", end_time: "07:00" }]
        location: Europe/Berlin
`;
/** Monday 23:30 in Berlin: quiet hours until Tuesday 07:00 CET (06:00 UTC). */
const NIGHT = new Date('2026-12-07T22:30:00Z');
const NOON = new Date('2026-12-07T11:00:00Z');

describe('routeEvent: holds', () => {
  const config = parse(`
default: ops
channels:
  ops: { hold_during: [quiet-hours], mention: "{@ops@acme.com}" }
  backend: { digest: daily, digest_at: "07:30", location: Europe/Berlin }
routes:
  - name: pages
    match: { severity: critical }
    to: [ops, backend]
    mention: ["{@oncall@acme.com}"]
  - name: api, hourly
    match: { repository: "acme/api" }
    to: [backend]
    digest: hourly
  - name: web, awake
    match: { repository: "acme/web" }
    to: [ops]
    hold_during: []
${QUIET_HOURS}`);

  it('holds an event the default sends to a channel during its quiet hours', () => {
    expect(routeEvent(config, event(), NIGHT).destinations).toEqual([
      {
        channel: 'ops',
        mention: ['{@ops@acme.com}'],
        hold: {
          until: Date.parse('2026-12-08T06:00:00Z'),
          why: 'quiet-hours until 07:00 Europe/Berlin',
          zone: 'Europe/Berlin',
        },
      },
    ]);
  });

  it('does not hold it by day', () => {
    expect(routeEvent(config, event(), NOON).destinations[0]?.hold).toBeUndefined();
  });

  it('lets a critical event through quiet hours, adding the route’s mentions to the channel’s', () => {
    const [ops] = routeEvent(config, event({ severity: 'critical' }), NIGHT).destinations;
    expect(ops).toEqual({ channel: 'ops', mention: ['{@ops@acme.com}', '{@oncall@acme.com}'] });
  });

  it('keeps a channel’s digest schedule when the route says nothing of digests', () => {
    const backend = routeEvent(config, event({ severity: 'critical' }), NOON).destinations[1];
    expect(backend).toMatchObject({ channel: 'backend', digest: 'daily' });
    // critical: passes through the digest too
    expect(backend?.hold).toBeUndefined();
  });

  it('replaces the channel’s digest, digest_at and location together with the route’s digest', () => {
    const [backend] = routeEvent(config, event({ subject: { name: 'acme/api' } }), NOON).destinations;
    expect(backend).toEqual({
      channel: 'backend',
      mention: [],
      digest: 'hourly',
      hold: { until: Date.parse('2026-12-07T12:00:00Z'), why: 'hourly digest', zone: 'UTC' },
    });
  });

  it('lets a route override the channel’s hold_during', () => {
    const [ops] = routeEvent(config, event({ subject: { name: 'acme/web' } }), NIGHT).destinations;
    expect(ops?.hold).toBeUndefined();
  });

  it('lets the later of two routes reaching a channel win per key', () => {
    const twice = parse(`
default: drop
channels: { ops: {} }
routes:
  - { name: first, to: ops, digest: never, hold_during: [quiet-hours], continue: true }
  - { name: second, to: ops, digest: hourly, hold_critical: true }
${QUIET_HOURS}`);
    const [ops] = routeEvent(twice, event({ severity: 'critical' }), NIGHT).destinations;
    expect(ops).toMatchObject({ digest: 'hourly', hold: { why: 'quiet-hours until 07:00 Europe/Berlin' } });
  });
});

const REQUEST = (): WebhookRequest => ({
  method: 'POST',
  path: '/webhooks/github',
  headers: { 'content-type': 'application/json', 'x-github-event': 'push' },
  query: {},
  body: Buffer.from(JSON.stringify(octokitExample('push', (p) => p.ref === 'refs/heads/master'))),
});
const HELD = parse(`
default: default
channels:
  default: { hold_during: [quiet-hours] }
${QUIET_HOURS}`);

describe('the queued message', () => {
  it('carries the hold as an ISO time and a reason, from ingest', async () => {
    const { call, queued } = ingestFor('github', {
      destinations: routedDestinations({ config: HELD, previewWhenUnset: false }),
      now: () => NIGHT,
    });
    const push = JSON.stringify(octokitExample('push', (p) => p.ref === 'refs/heads/master'));
    expect((await call(githubEvent(push))).status).toBe(202);
    const [message] = queued;
    const parsed = parseQueuedMessage(message?.body ?? '');
    expect(parsed.ok && parsed.value.hold).toEqual({
      until: '2026-12-08T06:00:00.000Z',
      why: 'quiet-hours until 07:00 Europe/Berlin',
    });
  });

  it('has no hold when none applies, and a message queued before holds existed still parses', () => {
    const message = toOutbound(event(), { channel: 'ops', owner: 'user-alice', digest: 'auto', ci: 'every' });
    const parsed = parseQueuedMessage(message.body);
    expect(parsed.ok && { hold: parsed.value.hold, digest: parsed.value.digest }).toEqual({
      hold: undefined,
      digest: 'auto',
    });
  });

  it('refuses a hold whose time is not an ISO time', () => {
    const body = JSON.parse(toOutbound(event(), { channel: 'ops', owner: 'user-alice' }).body);
    const parsed = parseQueuedMessage(JSON.stringify({ ...body, hold: { until: 'tomorrow', why: 'x' } }));
    expect(parsed.ok).toBe(false);
  });
});

describe('npm run route', () => {
  it('says when a held event will post, and why', () => {
    const result = explainRequest(HELD, 'github', REQUEST(), NIGHT);
    if (!result.ok) throw new Error(result.error);
    expect(renderExplained(result.explained)).toContain(
      '  default: held (quiet-hours until 07:00 Europe/Berlin): posts at 2026-12-08 07:00 Europe/Berlin',
    );
    expect(result.explained[0]?.messages[0]?.held).toBe(
      'held (quiet-hours until 07:00 Europe/Berlin): posts at 2026-12-08 07:00 Europe/Berlin',
    );
  });

  it('says nothing of holds by day', () => {
    const result = explainRequest(HELD, 'github', REQUEST(), NOON);
    expect(result.ok && renderExplained(result.explained)).not.toContain('held');
  });
});

describe('parseRoutingConfig: time intervals and delivery policy', () => {
  const file = (rest: string) => `default: ops\nchannels: { ops: {} }\n${rest}`;
  const broken: [string, string, RegExp][] = [
    [
      'hold_during naming an undefined interval',
      file(`routes:\n  - { name: r, to: ops, hold_during: [quiet-hours, naps] }\n${QUIET_HOURS}`),
      /:4:52: routes\[0\]\.hold_during\[1\] names time interval "naps", which is not under time_intervals \(defined: quiet-hours\)/,
    ],
    [
      'hold_during on a channel, with no intervals at all',
      'default: ops\nchannels:\n  ops: { hold_during: [nights] }\n',
      /:3:24: channels\.ops\.hold_during\[0\] names time interval "nights", which is not under time_intervals \(none is defined\)/,
    ],
    [
      'two intervals with one name',
      file(`${QUIET_HOURS}  - name: quiet-hours\n    time_intervals: [{}]\n`),
      /time_intervals\[1\]\.name "quiet-hours" is used by time_intervals\[0\] too: time interval names must be unique/,
    ],
    [
      'digest_at without digest: daily',
      file('routes:\n  - { name: r, to: ops, digest: hourly, digest_at: "08:00" }\n'),
      /routes\[0\] `digest_at` needs `digest: daily` beside it/,
    ],
    [
      'location without a scheduled digest',
      'default: ops\nchannels:\n  ops: { location: Europe/Berlin }\n',
      /channels\.ops `location` needs `digest: hourly` or `daily` beside it/,
    ],
    [
      'a digest_at that is not HH:MM',
      file('routes:\n  - { name: r, to: ops, digest: daily, digest_at: 9am }\n'),
      /routes\[0\]\.digest_at must be a time like "09:00"/,
    ],
    [
      'a digest location that is not a zone',
      file('routes:\n  - { name: r, to: ops, digest: daily, location: Berlin }\n'),
      /routes\[0\]\.location "Berlin" is not an IANA time zone/,
    ],
    [
      'hold_critical that is not a boolean',
      file('routes:\n  - { name: r, to: ops, hold_critical: "yes" }\n'),
      /routes\[0\]\.hold_critical must be true or false/,
    ],
    [
      'hold_during that is not a list',
      file(`routes:\n  - { name: r, to: ops, hold_during: quiet-hours }\n${QUIET_HOURS}`),
      /routes\[0\]\.hold_during must be a list of time interval names/,
    ],
    [
      'a weekday Alertmanager does not know',
      file('time_intervals:\n  - name: w\n    time_intervals:\n      - weekdays: [mon]\n'),
      /:6:20: time_intervals\[0\]\.time_intervals\[0\]\.weekdays\[0\] "mon" is not a weekday: use sunday, monday, … saturday/,
    ],
    [
      'a time range over midnight',
      file(
        'time_intervals:\n  - name: n\n    time_intervals:\n      - times: [{ start_time: "22:00", end_time: "07:00" }]\n',
      ),
      /time_intervals\[0\]\.time_intervals\[0\]\.times\[0\] must start before it ends \(end_time is exclusive; a range over midnight is two/,
    ],
    [
      'an unknown key in a time interval',
      file('time_intervals:\n  - name: n\n    time_intervals:\n      - { days: ["1"] }\n'),
      /time_intervals\[0\]\.time_intervals\[0\] has an unknown key "days" \(a time interval takes times, weekdays, days_of_month, months, years, location\)/,
    ],
    [
      'a named interval without entries',
      file('time_intervals:\n  - name: n\n'),
      /time_intervals\[0\]\.time_intervals is missing/,
    ],
    [
      'an unknown top-level key',
      file('mute_time_intervals: []\n'),
      /has an unknown top-level key "mute_time_intervals" \(the file takes default, channels, routes, time_intervals, github\)/,
    ],
  ];

  it.each(broken)('refuses %s', (_name, text, message) => {
    const parsed = parseRoutingConfig(text, 'vigil.config.yaml');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.map(describeProblem).join('\n')).toMatch(message);
  });

  it('accepts the README’s example', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Quiet hours and scheduled digests'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(example).toContain('hold_during');
    expect(() => parse(`default: ops\n${example}`)).not.toThrow();
  });
});
