import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { STORM_SECRETS, type StormEvent, stormEvents } from '../../bench/storm/events';
import { type AcceptedPost, namedIn, postText, tallyStorm } from '../../bench/storm/named';
import { digestMessages } from '../../lib/delivery/digest';
import type { VigilEvent } from '../../lib/event/model';
import { fromApiGateway } from '../../lib/http/request';
import { formatEvent } from '../../lib/sources/events';
import { SOURCES } from '../../lib/sources/registry';

const storm = stormEvents(1);
const SECRETS = {
  GITHUB_WEBHOOK_SECRET: STORM_SECRETS.github,
  ALERTMANAGER_TOKEN: STORM_SECRETS.alertmanager,
};
const CLOCK = { now: new Date('2026-11-23T12:00:00.000Z'), toleranceSeconds: 300 };

/** The event ingest makes of a storm webhook, through its source's own adapter; throws where ingest would refuse. */
const accepted = (event: StormEvent): VigilEvent => {
  const adapter = SOURCES[event.source];
  const request = fromApiGateway({
    rawPath: event.path,
    headers: event.headers,
    body: event.body,
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', path: event.path } },
  } as unknown as APIGatewayProxyEventV2);
  const authenticated = adapter.authenticate(request, SECRETS, CLOCK);
  if (!authenticated.ok) throw authenticated.error;
  const result = adapter.accept(request, CLOCK.now.toISOString());
  if (!result.ok) throw result.error;
  const [only, ...others] = result.value.events;
  if (only === undefined || others.length > 0)
    throw new Error(`${event.name} made ${result.value.events.length} events`);
  return only;
};

const repoOf = (name: string) => /github\.com\/([^/]+\/[^/]+)\//.exec(name)?.[1];

describe('stormEvents', () => {
  it('is 400 Alertmanager groups, one per instance, and 200 failing CI runs over 50 repositories at 1×', () => {
    const alerts = storm.filter((e) => e.source === 'alertmanager');
    const runs = storm.filter((e) => e.source === 'github');
    expect(storm).toHaveLength(600);
    expect(alerts).toHaveLength(400);
    expect(runs).toHaveLength(200);
    expect(alerts[0]?.name).toBe('node001:9100');
    expect(alerts[399]?.name).toBe('node400:9100');
    const repos = runs.map((run) => repoOf(run.name));
    const distinct = new Set(repos);
    expect(distinct.size).toBe(50);
    for (const repo of distinct) expect(repos.filter((r) => r === repo)).toHaveLength(4);
  });

  it.each([
    [2, 800, 400, 100],
    [4, 1600, 800, 200],
  ])('multiplies at %i×: %i groups, %i runs over %i repositories', (scale, groups, runs, repos) => {
    const events = stormEvents(scale);
    const ci = events.filter((e) => e.source === 'github');
    expect(events.filter((e) => e.source === 'alertmanager')).toHaveLength(groups);
    expect(ci).toHaveLength(runs);
    expect(new Set(ci.map((e) => repoOf(e.name))).size).toBe(repos);
  });

  it.each([1, 4])('gives every event a name that is no part of another one at %i×', (scale) => {
    const names = stormEvents(scale).map((e) => e.name);
    for (const [i, name] of names.entries())
      expect(names.filter((other, j) => j !== i && other.includes(name))).toEqual([]);
  });

  it('signs and shapes every webhook as its source expects, each event carrying its own name', () => {
    for (const event of storm) {
      const vigil = accepted(event);
      if (vigil.source === 'github')
        expect(vigil).toMatchObject({
          kind: 'github.workflow_run.completed',
          outcome: 'failure',
          url: event.name,
        });
      else if (vigil.source === 'alertmanager') {
        // not critical: no alert skips the digest
        expect(vigil).toMatchObject({ kind: 'alertmanager.alert.firing', severity: 'warning' });
        expect(vigil.facts.alerts.map((alert) => alert.instance)).toEqual([event.name]);
      } else throw new Error(`${event.name} became a ${vigil.source} event`);
    }
  });

  it('is named by the cards Vigil formats today, alone and in a digest', () => {
    const sample = storm.slice(0, 6);
    const vigil = sample.map(accepted);
    for (const [i, event] of vigil.entries())
      expect(namedIn(postText(formatEvent(event)), sample)).toEqual([sample[i]?.name]);
    const digest = digestMessages(vigil);
    expect(digest.flatMap((message) => namedIn(postText(message), sample)).sort()).toEqual(
      sample.map((e) => e.name).sort(),
    );
  });
});

describe('postText', () => {
  it('reads text, card, slides and buttons, without the zero-width spaces escaping adds', () => {
    const text = postText({
      text: 'on node0\u200B01:9100',
      card: { title: 'x' },
      slides: [{ type: 'table', data: { headers: ['Instance'], rows: [{ Instance: 'node002:9100' }] } }],
      buttons: [
        {
          label: 'View run',
          action: { type: 'open.url', data: { web: 'https://github.com/a/b/actions/runs/1' } },
        },
      ],
      thread_message_id: 'node003:9100',
    });
    expect(text).toContain('node001:9100');
    expect(text).toContain('node002:9100');
    expect(text).toContain('https://github.com/a/b/actions/runs/1');
    expect(text).not.toContain('node003:9100');
  });

  it('leaves out the follow-up line, which names an earlier event as context', () => {
    const text = postText({
      text: '*Still failing (2nd run in a row)*\n↪ Follows up: [CI failed](https://github.com/a/b/actions/runs/1)\n🔴 a/b: CI failed',
      buttons: [
        {
          label: 'View run',
          action: { type: 'open.url', data: { web: 'https://github.com/a/b/actions/runs/2' } },
        },
      ],
    });
    expect(text).not.toContain('actions/runs/1');
    expect(text).toContain('actions/runs/2');
  });
});

describe('tallyStorm', () => {
  const events: Pick<StormEvent, 'name' | 'source'>[] = [
    { source: 'alertmanager', name: 'node001:9100' },
    { source: 'alertmanager', name: 'node002:9100' },
    { source: 'github', name: 'https://github.com/acme/svc-001/actions/runs/7000000000' },
    { source: 'github', name: 'https://github.com/acme/svc-001/actions/runs/7000000050' },
    { source: 'alertmanager', name: 'node003:9100' },
  ];
  const run = (n: number) => `https://github.com/acme/svc-001/actions/runs/${n}`;
  const posts: AcceptedPost[] = [
    {
      at: 1000,
      body: {
        text: '📋 Digest: 2 events',
        slides: [{ type: 'list', data: ['on node001:9100', `[open](${run(7000000000)})`] }],
      },
    },
    { at: 2000, body: { text: '🔴 node: HighLatency on node002:9100' } },
    // the repository's next failing run, replied in the thread of the first: it names the new run only
    {
      at: 3000,
      parentId: '1_1',
      body: {
        text: '*Still failing (2nd run in a row)*\n🔴 acme/svc-001: CI failed',
        buttons: [{ label: 'View run', action: { type: 'open.url', data: { web: run(7000000050) } } }],
      },
    },
    // a channel post that follows up the first run names it as context, not as news
    { at: 3500, body: { text: `↪ Follows up: [CI failed](${run(7000000000)})\n🔴 unrelated` } },
    // node002 posted again: a duplicate
    { at: 4000, body: { text: '🔴 node: HighLatency on node002:9100' } },
  ];

  it('times each event by the first accepted post naming it, and lists the ones none names', () => {
    const tally = tallyStorm(events, posts);
    expect(Object.fromEntries(tally.firstNamedAt)).toEqual({
      'node001:9100': 1000,
      [run(7000000000)]: 1000,
      'node002:9100': 2000,
      [run(7000000050)]: 3000,
    });
    expect(tally.unnamed).toEqual(['node003:9100']);
  });

  it('counts as duplicates only events named as news by more than one post', () => {
    expect(Object.fromEntries(tallyStorm(events, posts).duplicates)).toEqual({ 'node002:9100': 2 });
  });

  it('counts posts per type', () => {
    expect(tallyStorm(events, posts).postsByType).toEqual({
      digest: 1,
      'alert card': 2,
      'thread reply': 1,
      'names no event': 1,
    });
  });
});
