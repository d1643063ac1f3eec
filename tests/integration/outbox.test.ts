import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliqStandIn, type Post } from '../../tools/harness/cliq-stand-in';
import { octokitExample, postGithub } from '../../tools/harness/github';
import type { LocalStack } from '../../tools/local/stack';
import { testStack } from '../helpers/local-stack';
import { postSample } from '../helpers/samples';

jest.setTimeout(60_000);

const TOKEN = '1001.outbox-token.secret';
/** Debian's `promtool` checks the exposition where it is installed (console-api.test.ts requires it in CI). */
const PROMTOOL = '/usr/bin/promtool';

/**
 * A clock that runs at real speed from `start` (ISO) and can be moved ahead, so a test sees an hour's digest
 * period or a hold window end in a second; the stack's holds, outbox and tick all read it.
 */
const virtualClock = (start: string) => {
  const base = Date.parse(start) - Date.now();
  let offset = 0;
  const now = () => Date.now() + base + offset;
  return {
    now,
    moveTo(iso: string) {
      offset += Date.parse(iso) - now();
    },
  };
};

const routingFile = (text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-outbox-')), 'vigil.config.yaml');
  writeFileSync(file, text);
  return file;
};

/** A GitHub issue opened, with its own number and title. */
const issue = (number: number) => {
  const payload = octokitExample('issues', (p) => p.action === 'opened');
  const base = payload.issue as Record<string, unknown>;
  return {
    ...payload,
    issue: {
      ...base,
      number,
      title: `Outbox issue ${number}`,
      html_url: `https://github.com/acme/outbox/issues/${number}`,
    },
  };
};

const postIssue = async (stack: LocalStack, number: number) => {
  const response = await postGithub(stack.url, issue(number), {
    event: 'issues',
    delivery: `issue-${number}`,
  });
  expect(response.status).toBe(202);
};

const text = (post: Post | undefined) => JSON.stringify(post?.body ?? null);

interface Health {
  outbox: Record<string, { waiting: number; due_at: string; reason: string }>;
}
const health = async (stack: LocalStack): Promise<Health> =>
  (await (await fetch(`${stack.url}/health`)).json()) as Health;

describe('the outbox on the local stack', () => {
  let cliq: CliqStandIn;
  let stack: LocalStack | undefined;
  beforeEach(async () => {
    cliq = await new CliqStandIn().start();
  });
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
    await cliq.stop();
  });

  it('holds routine events during a window that ends a minute from now, lets a critical alert through, and posts the held ones as one digest when it ends', async () => {
    // Monday 22:59 UTC: the maintenance window (22:00–23:00 UTC) ends in 60 s
    const clock = virtualClock('2026-12-07T22:59:00Z');
    stack = await testStack(
      {
        VIGIL_CONFIG: routingFile(`
default: drop
channels:
  ops: {}
routes:
  - name: everything, quiet during maintenance
    to: ops
    hold_during: [maintenance]
time_intervals:
  - name: maintenance
    time_intervals:
      - times: [{ start_time: "22:00", end_time: "23:00" }]
`),
        CLIQ_URL_OPS: cliq.channelUrl('ops', TOKEN),
        CLIQ_POSTS_PER_MINUTE: '600',
      },
      { now: clock.now },
    );
    for (const number of [1, 2, 3]) await postIssue(stack, number);
    await stack.waitForIdle();
    expect(cliq.posts('ops')).toEqual([]);
    const held = await health(stack);
    expect(Object.values(held.outbox)).toEqual([
      { waiting: 3, due_at: '2026-12-07T23:00:00.000Z', reason: 'maintenance until 23:00 UTC' },
    ]);
    const [owner] = Object.keys(held.outbox);
    expect(owner).toMatch(/^cliq-[0-9a-f]{32}$/);
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toContain(`vigil_outbox_waiting{owner="${owner}"} 3\n`);
    if (existsSync(PROMTOOL)) execFileSync(PROMTOOL, ['check', 'metrics'], { input: metrics });
    // the console's Waiting tab reads the same, by channel, with the events
    const waitingTab = await (await fetch(`${stack.url}/api/outbox`)).text();
    expect(JSON.parse(waitingTab)).toEqual({
      owners: [
        expect.objectContaining({
          owner,
          waiting: 3,
          channels: [
            expect.objectContaining({
              channel: 'ops',
              waiting: 3,
              kind: 'held',
              reason: 'maintenance until 23:00 UTC',
              dueAt: '2026-12-07T23:00:00.000Z',
              events: [1, 2, 3].map((n) =>
                expect.objectContaining({
                  source: 'github',
                  title: `Codertocat opened issue #${n}: Outbox issue ${n}`,
                }),
              ),
            }),
          ],
        }),
      ],
    });
    for (const body of [JSON.stringify(held), metrics, waitingTab]) {
      expect(body).not.toContain(TOKEN);
      expect(body).not.toContain('zapikey');
    }

    // a critical alert is not held: it posts now, alone, and the routine events keep waiting
    expect((await postSample(stack.url, 'alertmanager/firing')).status).toBe(202);
    await stack.waitForIdle();
    expect(cliq.posts('ops')).toHaveLength(1);
    expect(text(cliq.posts('ops')[0])).toContain('HighErrorRate');
    expect(text(cliq.posts('ops')[0])).not.toContain('Outbox issue');
    expect(Object.values((await health(stack)).outbox)).toMatchObject([{ waiting: 3 }]);

    // the window ends: the schedule's next tick posts the three as one digest, in arrival order
    clock.moveTo('2026-12-07T23:00:01Z');
    await stack.tick();
    await stack.waitForIdle();
    const posts = cliq.posts('ops');
    expect(posts).toHaveLength(2);
    const digest = text(posts[1]);
    expect(digest).toContain('Digest: 3 events');
    const named = [1, 2, 3].map((n) => digest.indexOf(`Outbox issue ${n}`));
    expect(named.every((at) => at >= 0)).toBe(true);
    expect([...named].sort((a, b) => a - b)).toEqual(named);
    expect((await health(stack)).outbox).toEqual({});
  });

  it('holds a route with `digest: hourly` until the top of the hour, then posts the hour’s events as one digest, not before', async () => {
    const clock = virtualClock('2026-12-07T10:15:00Z');
    stack = await testStack(
      {
        VIGIL_CONFIG: routingFile(`
default: drop
channels:
  ops: {}
routes:
  - name: hourly issues
    match: { source: github }
    to: ops
    digest: hourly
`),
        CLIQ_URL_OPS: cliq.channelUrl('ops', TOKEN),
        CLIQ_POSTS_PER_MINUTE: '600',
      },
      { now: clock.now },
    );
    await postIssue(stack, 1);
    clock.moveTo('2026-12-07T10:35:00Z');
    await postIssue(stack, 2);
    clock.moveTo('2026-12-07T10:58:00Z');
    await postIssue(stack, 3);
    await stack.waitForIdle();
    clock.moveTo('2026-12-07T10:59:00Z');
    // the schedule ticks all through the hour (every 250 ms here, and once more now): nothing is due yet
    await stack.tick();
    await stack.waitForIdle();
    expect(cliq.posts('ops')).toEqual([]);
    expect(Object.values((await health(stack)).outbox)).toEqual([
      { waiting: 3, due_at: '2026-12-07T11:00:00.000Z', reason: 'hourly digest' },
    ]);

    clock.moveTo('2026-12-07T11:00:01Z');
    await stack.tick();
    await stack.waitForIdle();
    const posts = cliq.posts('ops');
    expect(posts).toHaveLength(1);
    expect(text(posts[0])).toContain('Digest: 3 events');
    for (const n of [1, 2, 3]) expect(text(posts[0])).toContain(`Outbox issue ${n}`);
    expect((await health(stack)).outbox).toEqual({});
  });
});
