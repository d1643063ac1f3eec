import type { VigilEvent } from '../../lib/event/model';
import { readRoutingFile, routingFilePath } from '../../lib/routing/load';
import { describeProblem, parseRoutingConfig } from '../../lib/routing/parse';
import { routeEvent } from '../../lib/routing/route';
import type { RoutingConfig } from '../../lib/routing/schema';
import { githubPush } from '../helpers/github-push';

const parse = (text: string): RoutingConfig => {
  const parsed = parseRoutingConfig(text, 'vigil.config.yaml');
  if (!parsed.ok) throw new Error(parsed.error.map(describeProblem).join('\n'));
  return parsed.value;
};

const event = (overrides: Partial<VigilEvent> = {}): VigilEvent =>
  ({
    ...githubPush('d'),
    ...overrides,
  }) as VigilEvent;

const ISSUE_EXAMPLE = `
default: ops                 # channel for events no route decides; \`drop\` to discard them
channels:
  ops: {}                    # URL from CLIQ_URL_OPS
  backend: { bot_unique_name: vigilbot, bot: { name: Vigil } }
routes:
  - name: no bots
    match: { actor: "*[bot]" }
    drop: true
  - name: api repos also to backend
    match: { source: github, repository: "acme/api*" }
    to: [backend]
    continue: true
  - name: prod deploy failures page on-call
    match: { kind: "github.deployment_status.*", environment: production, outcome: [failure, error] }
    to: [ops]
    mention: ["{@oncall@acme.com}"]
`;

describe('routeEvent', () => {
  it('accepts the documented example file', () => {
    expect(parse(ISSUE_EXAMPLE).routes.map((route) => route.name)).toEqual([
      'no bots',
      'api repos also to backend',
      'prod deploy failures page on-call',
    ]);
  });

  it('applies default only when no route matched at all', () => {
    const config = parse(ISSUE_EXAMPLE);
    expect(routeEvent(config, event())).toMatchObject({
      decidedBy: 'default',
      destinations: [{ channel: 'ops' }],
      matched: [],
    });
  });

  it('drops at the first deciding route', () => {
    const config = parse(ISSUE_EXAMPLE);
    const bot = event({ actor: { name: 'dependabot[bot]', bot: true } });
    expect(routeEvent(config, bot)).toMatchObject({ dropped: true, decidedBy: 'no bots', destinations: [] });
  });

  it('fans out with continue, and a later route decides the rest', () => {
    const config = parse(ISSUE_EXAMPLE);
    const deploy = event({
      subject: { name: 'acme/api-gateway' },
      kind: 'github.deployment_status.failure',
      environment: 'production',
      outcome: 'failure',
    });
    const decision = routeEvent(config, deploy);
    expect(decision.matched).toEqual(['api repos also to backend', 'prod deploy failures page on-call']);
    expect(decision.destinations).toEqual([
      { channel: 'backend', mention: [] },
      { channel: 'ops', mention: ['{@oncall@acme.com}'] },
    ]);
  });

  it('posts once to a channel reached twice, with the mentions of both routes', () => {
    const config = parse(`
default: drop
channels: { ops: {} }
routes:
  - { name: a, match: { source: github }, to: ops, mention: "{@a@x.com}", continue: true }
  - { name: b, match: { kind: "github.*" }, to: [ops], mention: ["{@b@x.com}"] }
`);
    expect(routeEvent(config, event()).destinations).toEqual([
      { channel: 'ops', mention: ['{@a@x.com}', '{@b@x.com}'] },
    ]);
  });

  it('keeps channels of earlier continue routes when a later route drops', () => {
    const config = parse(`
default: drop
channels: { audit: {} }
routes:
  - { name: audit everything, to: audit, continue: true }
  - { name: no pushes, match: { kind: github.push }, drop: true }
`);
    expect(routeEvent(config, event())).toMatchObject({
      destinations: [{ channel: 'audit' }],
      dropped: false,
      decidedBy: 'no pushes',
    });
  });

  it.each([
    [{ branch: 'mast*' }, true],
    [{ branch: ['release/*', 'master'] }, true],
    [{ branch: 'main' }, false],
    [{ severity: '>= warning' }, false],
    [{ severity: '>= info' }, true],
    [{ severity: ['info', 'error'] }, true],
    [{ outcome: 'none' }, true],
    [{ bots: false }, true],
    [{ bots: true }, false],
    [{ repository: 'codertocat/*' }, true],
    [{ project: 'Codertocat/Hello-World' }, true],
    [{ source: ['sentry', 'docker'] }, false],
    [{ actor: 'Codert?cat' }, true],
    [{ environment: 'production' }, false],
    [{ labels: 'team=*' }, false],
  ])('match %p → %p', (match, expected) => {
    const config = parse(
      `default: drop\nroutes:\n  - { name: r, to: default, match: ${JSON.stringify(match)} }\n`,
    );
    expect(routeEvent(config, event()).dropped).toBe(!expected);
  });

  it('matches Alertmanager labels as key=value globs', () => {
    const config = parse(
      'default: drop\nroutes:\n  - { name: r, to: default, match: { labels: "severity=crit*" } }\n',
    );
    expect(routeEvent(config, event({ labels: ['alertname=HighCPU', 'severity=critical'] })).dropped).toBe(
      false,
    );
  });

  it('tells the default branch from others only when the source says which it is', () => {
    const config = parse(
      'default: default\nroutes:\n  - { name: other branches, drop: true, match: { default_branch: false } }\n',
    );
    expect(routeEvent(config, event({ branch: 'feature', defaultBranch: 'main' })).dropped).toBe(true);
    expect(routeEvent(config, event({ branch: 'main', defaultBranch: 'main' })).dropped).toBe(false);
    const { defaultBranch: _unknown, ...withoutDefault } = event({ branch: 'feature' });
    expect(routeEvent(config, withoutDefault as VigilEvent).dropped).toBe(false);
  });
});

describe('parseRoutingConfig rejects a broken file with its line and field', () => {
  const broken: [string, string, RegExp][] = [
    ['not YAML', 'default: [ops\n', /vigil\.config\.yaml:\d+:\d+: is not valid YAML/],
    ['a duplicate key', 'default: ops\ndefault: drop\n', /:2:1: is not valid YAML: Map keys must be unique/],
    ['no default', 'channels: {}\n', /:1:1: default /],
    ['an unknown top-level key', 'default: drop\nrouting: []\n', /unknown top-level key/],
    [
      'a default channel that does not exist',
      'default: pager\n',
      /:1:10: default names channel "pager", which is not under channels/,
    ],
    [
      'a channel name with capitals',
      'default: drop\nchannels:\n  Ops: {}\n',
      /:3:\d+: channels\.Ops must be lower-case letters/,
    ],
    [
      'an unknown channel key',
      'default: drop\nchannels:\n  ops: { url: "https://x" }\n',
      /:3:\d+: channels\.ops has an unknown key "url" \(channels take bot_unique_name, bot, owner, threads, mention, digest, digest_at, location, ci, hold_during, hold_critical\)/,
    ],
    [
      'a bot image over http',
      'default: drop\nchannels:\n  ops: { bot: { image: "http://x/i.png" } }\n',
      /channels\.ops\.bot\.image must be an https:\/\/ URL/,
    ],
    [
      'routes that are not a list',
      'default: drop\nroutes: { name: x }\n',
      /:2:9: routes must be a list of routes/,
    ],
    ['a route without a name', 'default: drop\nroutes:\n  - { to: default }\n', /:3:5: routes\[0\]\.name /],
    [
      'a route with neither to nor drop',
      'default: drop\nroutes:\n  - { name: r }\n',
      /:3:5: routes\[0\] needs `to: \[channels\]` or `drop: true`/,
    ],
    [
      'a route with both to and drop',
      'default: drop\nroutes:\n  - { name: r, to: default, drop: true }\n',
      /routes\[0\] cannot both `drop` and send `to` channels/,
    ],
    [
      'a route to an unknown channel',
      'default: drop\nroutes:\n  - name: r\n    to: [default, pager]\n',
      /:4:19: routes\[0\]\.to\[1\] names channel "pager"/,
    ],
    [
      'an unknown route key',
      'default: drop\nroutes:\n  - { name: r, to: default, when: x }\n',
      /routes\[0\] has an unknown key "when" \(routes take name, match, to, drop, mention, digest, digest_at, location, ci, hold_during, hold_critical, continue\)/,
    ],
    [
      'an unknown match key',
      'default: drop\nroutes:\n  - { name: r, to: default, match: { repo: x } }\n',
      /routes\[0\]\.match has an unknown key "repo" \(use source, kind/,
    ],
    [
      'an unknown source',
      'default: drop\nroutes:\n  - { name: r, to: default, match: { source: jenkins } }\n',
      /routes\[0\]\.match\.source must be one of github, gitlab/,
    ],
    [
      'an unknown outcome',
      'default: drop\nroutes:\n  - { name: r, to: default, match: { outcome: [exploded] } }\n',
      /routes\[0\]\.match\.outcome\[0\] must be one of success, failure/,
    ],
    [
      'a bad severity threshold',
      'default: drop\nroutes:\n  - { name: r, to: default, match: { severity: "> warning" } }\n',
      /routes\[0\]\.match\.severity must be one of critical, error, warning, info, a list of them, or a threshold like ">= warning"/,
    ],
    [
      'a mention without braces',
      'default: drop\nroutes:\n  - { name: r, to: default, mention: ["@oncall"] }\n',
      /routes\[0\]\.mention\[0\] must be a Cliq mention like \{@oncall@acme\.com\}/,
    ],
    [
      'an unknown digest mode',
      'default: drop\nroutes:\n  - { name: r, to: default, digest: sometimes }\n',
      /routes\[0\]\.digest must be always, auto, never, hourly or daily/,
    ],
    [
      'continue that is not a boolean',
      'default: drop\nroutes:\n  - { name: r, to: default, continue: "yes" }\n',
      /routes\[0\]\.continue must be true or false/,
    ],
    [
      'an empty kind pattern',
      'default: drop\nroutes:\n  - { name: r, to: default, match: { kind: "" } }\n',
      /routes\[0\]\.match\.kind must not be empty/,
    ],
    [
      'bots that is not a boolean',
      'default: drop\nroutes:\n  - { name: r, drop: true, match: { bots: "no" } }\n',
      /routes\[0\]\.match\.bots must be true or false/,
    ],
    [
      'two routes with one name',
      'default: drop\nroutes:\n  - { name: r, to: default }\n  - { name: r, drop: true }\n',
      /:4:13: routes\[1\]\.name "r" is used by routes\[0\] too/,
    ],
    [
      'an empty list of channels',
      'default: drop\nroutes:\n  - { name: r, to: [] }\n',
      /routes\[0\]\.to must list at least one value/,
    ],
  ];

  it('has at least 20 broken configs', () => expect(broken.length).toBeGreaterThanOrEqual(20));

  it.each(broken)('%s', (_name, text, message) => {
    const parsed = parseRoutingConfig(text, 'vigil.config.yaml');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.map(describeProblem).join('\n')).toMatch(message);
  });
});

describe('the routing file in use', () => {
  it('is valid (an invalid vigil.config.yaml or VIGIL_CONFIG fails npm test here, naming file, line and field)', () => {
    expect(() => readRoutingFile(routingFilePath(process.env))).not.toThrow();
  });
});
