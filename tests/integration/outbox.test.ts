import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliqStandIn, type Post } from '../../tools/harness/cliq-stand-in';
import { DynamoChaosProxy } from '../../tools/harness/dynamo-chaos-proxy';
import { octokitExample, postGithub } from '../../tools/harness/github';
import { type Dynalite, startDynalite } from '../../tools/local/dynamo-server';
import type { LocalStack } from '../../tools/local/stack';
import { postWorkflowRuns, pullRequest, review } from '../helpers/github-conversation';
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

describe('the outbox on an external DynamoDB that throttles a fifth of the writes (the chaos proxy in front)', () => {
  let external: Dynalite;
  let proxy: DynamoChaosProxy;
  let cliq: CliqStandIn;
  let stack: LocalStack;
  beforeEach(async () => {
    external = await startDynalite({ port: 0, host: '127.0.0.1' });
    proxy = await new DynamoChaosProxy({
      target: external.endpoint,
      throttleFraction: 0.2,
      seed: 18,
    }).start();
    cliq = await new CliqStandIn().start();
    stack = await testStack({
      DYNAMODB_ENDPOINT: proxy.url,
      ZOHO_CLIQ_WEBHOOK_URL: cliq.channelUrl('ops', TOKEN),
      CLIQ_POSTS_PER_MINUTE: '600',
      RETRY_BASE_SECONDS: '1',
    });
  });
  afterEach(async () => {
    await stack.stop();
    await cliq.stop();
    await proxy.stop();
    await external.stop();
  });

  /** The posts whose text has `needle`. */
  const postsWith = (needle: string | RegExp) =>
    cliq
      .posts('ops')
      .filter((post) => (typeof needle === 'string' ? text(post).includes(needle) : needle.test(text(post))));

  it('posts every event of bursts, a CI streak and a pull request’s thread exactly once, with the right text', async () => {
    const burst = (from: number, count: number) =>
      Promise.all(Array.from({ length: count }, (_, n) => postIssue(stack, from + n)));
    await burst(1, 20);
    await stack.waitForIdle();
    await postWorkflowRuns(stack, [
      [901, 'failure'],
      [902, 'failure'],
      [903, 'success'],
    ]);
    await postGithub(stack.url, pullRequest('opened'), { event: 'pull_request', delivery: 'pr-1' });
    await stack.waitForIdle();
    await postGithub(stack.url, review(), { event: 'pull_request_review', delivery: 'pr-2' });
    await stack.waitForIdle();
    await postGithub(stack.url, pullRequest('closed', true), { event: 'pull_request', delivery: 'pr-3' });
    await burst(21, 12);
    await stack.waitForIdle();

    // the proxy did throttle the state table's writes, and the SDK and the sender rode them out
    expect(proxy.count('throttle')).toBeGreaterThan(10);
    // every issue is named in exactly one post (alone or in a digest)
    for (let n = 1; n <= 32; n++)
      expect([n, postsWith(new RegExp(`/acme/outbox/issues/${n}\\b`)).length]).toEqual([n, 1]);
    // the CI streak: its failure, one quiet "2nd run" reply and one "fixed" reply, counted right
    const still = postsWith('Still failing (2nd run in a row)');
    const fixed = postsWith('Fixed after 2 failed runs');
    expect([still.length, fixed.length]).toEqual([1, 1]);
    expect(postsWith('3rd run').concat(postsWith('Fixed after 3'), postsWith('Fixed after 1'))).toEqual([]);
    expect(still[0]?.parentId).toBeDefined();
    expect(fixed[0]?.parentId).toBe(still[0]?.parentId);
    // the pull request: one card, its review and its merge in that card's thread, once each
    const threads = cliq.posts('ops').filter((post) => post.parentId !== undefined);
    expect(threads).toHaveLength(4);
    const prThread = threads.filter((post) => post.parentId !== still[0]?.parentId);
    expect(prThread).toHaveLength(2);
    const opened = cliq.posts('ops').find((post) => post.messageId === prThread[0]?.parentId);
    expect(text(opened)).toMatch(/opened #\W*41: Update the README/);
    expect(prThread[1]?.postInParent).toBe(true);
    // nothing was given up on, and nothing is left waiting
    expect(await (await fetch(`${stack.url}/health`)).json()).toMatchObject({
      dlq: { depth: 0 },
      outbox: {},
    });
  });
});
