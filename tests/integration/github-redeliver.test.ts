import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryCounters } from '../../lib/metrics';
import type { GithubHook } from '../../lib/routing/schema';
import { hooksApi } from '../../lib/sources/github/redeliver/api';
import { type RedeliverDeps, runRedelivery } from '../../lib/sources/github/redeliver/run';
import { redeliverDeps } from '../../lib/wiring/redeliver';
import { octokitExample } from '../../tools/harness/github';
import { GithubApiStandIn } from '../../tools/harness/github-api';
import { testStack, testStackWithCliq } from '../helpers/local-stack';
import { recordingLog } from '../helpers/log';

/**
 * The redelivery job against a stand-in for GitHub's deliveries API, which follows GitHub's REST
 * documentation ("List deliveries for a repository webhook", "List deliveries for an organization webhook",
 * "Redeliver a delivery for a repository webhook", "Using pagination in the REST API", "Rate limits for the
 * REST API") and the job's steps follow "Handling failed webhook deliveries".
 */
const TOKEN = 'ghp_standin_write_token_0123456789';
const REPO: GithubHook = { repo: 'acme/api', id: 456 };
const ORG: GithubHook = { org: 'acme', id: 123 };
const HOUR = 60 * 60_000;

describe('the GitHub redelivery job', () => {
  let github: GithubApiStandIn;
  let recording: ReturnType<typeof recordingLog>;
  let counters: ReturnType<typeof memoryCounters>;

  beforeEach(async () => {
    github = await new GithubApiStandIn({
      [TOKEN]: 'write',
      'read-only': 'read',
      'no-hooks': 'none',
    }).start();
    github.addHook(REPO);
    github.addHook(ORG);
    recording = recordingLog();
    counters = memoryCounters();
  });
  afterEach(() => github.stop());

  const job = (overrides: Partial<RedeliverDeps> = {}): RedeliverDeps => ({
    hooks: [REPO, ORG],
    token: async () => TOKEN,
    api: (token) => hooksApi({ baseUrl: github.url, token }),
    windowMs: 3 * HOUR,
    log: recording.log,
    counters,
    ...overrides,
  });

  it('redelivers each failed delivery once and leaves the successful ones', async () => {
    const refused = await github.send(REPO, { n: 1 }, { statusCode: 429 });
    const timedOut = await github.send(REPO, { n: 2 }, { statusCode: 0 });
    await github.send(REPO, { n: 3 }, { statusCode: 202 });
    const orgFailed = await github.send(ORG, { n: 4 }, { statusCode: 503 });

    const report = await runRedelivery(job());
    await github.idle();
    expect(report.redelivered).toBe(3);
    expect(github.attempts.sort()).toEqual(
      [
        `repos/acme/api/hooks/456#${refused.id}`,
        `repos/acme/api/hooks/456#${timedOut.id}`,
        `orgs/acme/hooks/123#${orgFailed.id}`,
      ].sort(),
    );
    expect(counters.snapshot().redelivered).toEqual({ github: 3 });
    const asked = recording.lines.filter((line) => line.message.startsWith('asked GitHub to redeliver'));
    expect(asked.map((line) => (line.extra[0] as { deliveryId: string }).deliveryId).sort()).toEqual(
      [refused.guid, timedOut.guid, orgFailed.guid].sort(),
    );

    // the redeliveries went through (the stand-in recorded them as 200): the next run has nothing to do
    const again = await runRedelivery(job());
    expect(again.redelivered).toBe(0);
    expect(github.attempts).toHaveLength(3);
  });

  it('follows the Link header’s pages and stops at deliveries older than the window', async () => {
    const old = await github.send(
      REPO,
      { old: true },
      { statusCode: 503, at: new Date(Date.now() - 5 * HOUR) },
    );
    const failed = [];
    for (let n = 0; n < 250; n += 1) {
      const code = n % 50 === 0 ? 502 : 202;
      const sent = await github.send(
        REPO,
        { n },
        { statusCode: code, at: new Date(Date.now() - 2 * HOUR + n * 1000) },
      );
      if (code !== 202) failed.push(sent.id);
    }
    const report = await runRedelivery(job({ hooks: [REPO] }));
    expect(report.redelivered).toBe(5);
    expect(github.attempts).not.toContain(`repos/acme/api/hooks/456#${old.id}`);
    const pages = github.requests.filter((request) => request.method === 'GET');
    // 251 deliveries at 100 a page: the third page reaches past the window, so there is no fourth request
    expect(pages.map((request) => request.query.per_page)).toEqual(['100', '100', '100']);
    expect(pages[0]?.query.cursor).toBeUndefined();
    expect(pages[1]?.query.cursor).toMatch(/^v1_\d+$/);
    expect(github.attempts.map((attempt) => Number(attempt.split('#')[1])).sort()).toEqual(failed.sort());
  });

  it('names a hook GitHub does not know (404) and still processes the others', async () => {
    const failed = await github.send(ORG, { n: 1 }, { statusCode: 500 });
    const report = await runRedelivery(job({ hooks: [{ repo: 'acme/gone', id: 9 }, ORG] }));
    expect(report.hooks).toEqual([
      { hook: 'repo acme/gone hook 9', redelivered: 0, problem: 'not_found' },
      { hook: 'org acme hook 123', redelivered: 1 },
    ]);
    expect(github.attempts).toEqual([`orgs/acme/hooks/123#${failed.id}`]);
    const errors = recording.lines.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('repo acme/gone hook 9 (404)');
  });

  it('says which permission a token lacks (403), to list or to redeliver', async () => {
    await github.send(REPO, { n: 1 }, { statusCode: 500 });
    await github.send(REPO, { n: 2 }, { statusCode: 500 });
    const none = await runRedelivery(job({ token: async () => 'no-hooks', hooks: [REPO] }));
    expect(none.hooks).toEqual([{ hook: 'repo acme/api hook 456', redelivered: 0, problem: 'forbidden' }]);
    const readOnly = await runRedelivery(job({ token: async () => 'read-only', hooks: [REPO] }));
    expect(readOnly.hooks).toEqual([
      { hook: 'repo acme/api hook 456', redelivered: 0, problem: 'forbidden' },
    ]);
    expect(github.attempts).toEqual([]);
    const errors = recording.lines.filter((line) => line.level === 'error');
    // one line per run, not one per delivery
    expect(errors).toHaveLength(2);
    for (const line of errors) expect(line.message).toMatch(/admin:repo_hook.*Webhooks read and write/);
  });

  it('stops at a token GitHub refuses (401), naming GITHUB_API_TOKEN', async () => {
    await github.send(ORG, { n: 1 }, { statusCode: 500 });
    const report = await runRedelivery(job({ token: async () => 'ghp_not_a_real_token' }));
    expect(report.stopped).toBe('unauthorized');
    expect(report.hooks).toHaveLength(1);
    expect(recording.text()).toContain('GitHub refused GITHUB_API_TOKEN (401)');
    expect(github.requests.filter((request) => request.path.includes('orgs'))).toEqual([]);
  });

  it('stops the run at GitHub’s rate limit and leaves the rest for the next run', async () => {
    const first = await github.send(REPO, { n: 1 }, { statusCode: 429 });
    const second = await github.send(REPO, { n: 2 }, { statusCode: 429 });
    await github.send(ORG, { n: 3 }, { statusCode: 429 });
    github.requestBudget = 2; // one list and one redelivery, then 403 with x-ratelimit-remaining: 0
    const report = await runRedelivery(job());
    expect(report).toMatchObject({ stopped: 'rate_limited', redelivered: 1 });
    expect(github.attempts).toEqual([`repos/acme/api/hooks/456#${first.id}`]);
    expect(recording.text()).toContain('rate-limited');

    github.requestBudget = Number.POSITIVE_INFINITY;
    await github.idle();
    const next = await runRedelivery(job());
    expect(next.redelivered).toBe(2);
    expect(github.attempts).toContain(`repos/acme/api/hooks/456#${second.id}`);
  });

  it('does nothing without hooks, and asks nothing of GitHub without a token', async () => {
    await github.send(REPO, { n: 1 }, { statusCode: 500 });
    expect(await runRedelivery(job({ hooks: [] }))).toEqual({
      redelivered: 0,
      hooks: [],
      stopped: 'no_hooks',
    });
    expect(await runRedelivery(job({ token: async () => undefined }))).toEqual({
      redelivered: 0,
      hooks: [],
      stopped: 'no_token',
    });
    expect(github.requests).toEqual([]);
    expect(recording.text()).toContain('GITHUB_API_TOKEN is not set');
  });

  it('never writes the token in a log line, and sends it only to the API’s own origin', async () => {
    await github.send(REPO, { n: 1 }, { statusCode: 500 });
    await runRedelivery(job({ token: async () => 'no-hooks' }));
    await runRedelivery(job({ token: async () => 'ghp_not_a_real_token' }));
    await runRedelivery(job());
    expect(recording.text()).not.toContain(TOKEN);
    expect(recording.text()).not.toContain('ghp_not_a_real_token');
    expect(github.requests.every((request) => request.authorized)).toBe(true);
  });
});

/** The whole path: GitHub redelivers through the local stack's real ingest and sender, and the ledger holds. */
describe('redelivery through the local stack', () => {
  it('posts an event GitHub timed out on, and one it was refused, exactly once each', async () => {
    const github = await new GithubApiStandIn({ [TOKEN]: 'write' }).start();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-redeliver-'));
    const config = join(dir, 'vigil.config.yaml');
    writeFileSync(config, 'default: default\ngithub:\n  hooks:\n    - { repo: acme/api, id: 456 }\n');
    const { cliq, stack } = await testStackWithCliq({
      VIGIL_CONFIG: config,
      GITHUB_API_TOKEN: TOKEN,
      GITHUB_API_URL: github.url,
      CLIQ_POSTS_PER_MINUTE: '600',
    });
    const posted = () => cliq.posts('ops').map((post) => JSON.stringify(post.body));
    try {
      github.addHook(REPO, { target: `${stack.url}/webhooks/github` });
      let number = 100;
      const issue = (title: string) => {
        const payload = octokitExample('issues', (body) => body.action === 'opened');
        number += 1;
        Object.assign(payload.issue as object, { title, number, id: number });
        return payload;
      };
      // Vigil took it, but GitHub recorded a timeout: its redelivery must not post it again
      await github.send(REPO, issue('took it, GitHub timed out'), {
        event: 'issues',
        statusCode: 0,
        sendAnyway: true,
      });
      // API Gateway refused it: it never reached Vigil
      await github.send(REPO, issue('refused'), { event: 'issues', statusCode: 429 });
      await github.send(REPO, issue('delivered'), { event: 'issues' });
      await stack.waitForIdle();
      expect(posted()).toHaveLength(2);

      const report = await stack.redeliver();
      expect(report.redelivered).toBe(2);
      await github.idle();
      await stack.waitForIdle();
      const titles = posted();
      expect(titles).toHaveLength(3);
      for (const title of ['took it, GitHub timed out', 'refused', 'delivered'])
        expect(titles.filter((text) => text.includes(title))).toHaveLength(1);
      // both redeliveries answered 202 and are recorded so: a second run leaves them
      expect(
        github
          .deliveries(REPO)
          .filter((delivery) => delivery.redelivery)
          .map((d) => d.status_code),
      ).toEqual([202, 202]);
      expect((await stack.redeliver()).redelivered).toBe(0);
    } finally {
      await stack.stop();
      await cliq.stop();
      await github.stop();
    }
  }, 60_000);

  it('runs the job on its own timer when hooks and a token are configured, and not without the token', async () => {
    const github = await new GithubApiStandIn({ [TOKEN]: 'write' }).start();
    github.addHook(REPO);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-redeliver-'));
    const config = join(dir, 'vigil.config.yaml');
    writeFileSync(config, 'default: drop\ngithub:\n  hooks: [{ repo: acme/api, id: 456 }]\n');
    const failed = await github.send(REPO, { n: 1 }, { statusCode: 502 });
    const env = { VIGIL_CONFIG: config, GITHUB_API_URL: github.url };
    const idle = await testStack(env, { redeliverMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await idle.stop();
    expect(github.requests).toEqual([]);
    const stack = await testStack({ ...env, GITHUB_API_TOKEN: TOKEN }, { redeliverMs: 100 });
    try {
      const deadline = Date.now() + 5000;
      while (github.attempts.length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(github.attempts).toEqual([`repos/acme/api/hooks/456#${failed.id}`]);
    } finally {
      await stack.stop();
      await github.stop();
    }
  }, 30_000);

  it('reads the token and hooks from the environment and the routing file, as the Lambda does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-redeliver-'));
    const config = join(dir, 'vigil.config.yaml');
    writeFileSync(config, 'default: drop\ngithub:\n  hooks: [{ org: acme, id: 123 }]\n');
    const deps = redeliverDeps({ VIGIL_LOCAL: 'true', VIGIL_CONFIG: config, GITHUB_API_TOKEN: 'a,b' });
    expect(deps.hooks).toEqual([{ org: 'acme', id: 123 }]);
    expect(await deps.token()).toBe('a');
    expect(deps.windowMs).toBe(3 * HOUR);
    expect(await redeliverDeps({ VIGIL_LOCAL: 'true', VIGIL_CONFIG: config }).token()).toBeUndefined();
  });
});
