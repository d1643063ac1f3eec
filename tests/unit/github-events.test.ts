import * as v from 'valibot';
import { fitMessage } from '../../lib/cliq/fit';
import { VigilEvent } from '../../lib/event/model';
import type { GithubEvent } from '../../lib/sources/github/facts';
import { formatGithub } from '../../lib/sources/github/format';
import { normalizeGithub } from '../../lib/sources/github/normalize';
import { cliqViolations } from '../../tools/harness/cliq-stand-in';
import { corpus } from '../../tools/harness/corpus';
import { octokitExample, octokitExamples } from '../../tools/harness/github';

const RECEIVED = '2026-11-23T12:00:00.000Z';

const normalize = (event: string, payload: Record<string, unknown>): GithubEvent =>
  normalizeGithub({ event, payload, id: 'delivery-1', receivedAt: RECEIVED });

const formatted = (event: GithubEvent) => fitMessage(formatGithub(event));

const expectDeliverable = (event: GithubEvent) => {
  const checked = v.safeParse(VigilEvent, event);
  expect(checked.issues?.map((issue) => `${v.getDotPath(issue)}: ${issue.message}`)).toBeUndefined();
  expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(64 * 1024);
  expect(cliqViolations(formatted(event))).toEqual([]);
};

describe('every @octokit/webhooks-examples payload', () => {
  const all = octokitExamples().filter(([event]) => event !== 'ping');
  it('covers the whole package', () => expect(all.length).toBeGreaterThan(300));

  it.each(all)('%s #%i normalizes, validates and formats within Cliq limits', (event, _index, payload) => {
    expectDeliverable(normalize(event, payload));
  });
});

const githubCorpus = corpus('github').filter(([file]) => !file.startsWith('ping'));
const describeCorpus = githubCorpus.length > 0 ? describe : describe.skip;

describeCorpus('the shared GitHub corpus', () => {
  it.each(githubCorpus)(
    '%s normalizes, validates and formats within Cliq limits',
    (_file, bytes, headers) => {
      const payload = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      expectDeliverable(normalize(headers['X-GitHub-Event'] ?? '', payload));
    },
  );

  const expectations: [string, Partial<GithubEvent>][] = [
    [
      'check_run__completed_failure.json',
      { kind: 'github.check_run.completed', outcome: 'failure', severity: 'error' },
    ],
    ['check_run__completed_timed_out.json', { outcome: 'failure', severity: 'error' }],
    [
      'deployment_status__failure.json',
      {
        kind: 'github.deployment_status.failure',
        outcome: 'failure',
        severity: 'critical',
        environment: 'production',
      },
    ],
    ['deployment_status__error.json', { outcome: 'failure' }],
    [
      'pull_request__closed_merged_private_repo.json',
      { kind: 'github.pull_request.merged', outcome: 'success' },
    ],
    ['pull_request__closed_not_merged.json', { kind: 'github.pull_request.closed' }],
    ['push__forced_1_commit.json', { kind: 'github.push', severity: 'warning' }],
    ['push__branch_deleted.json', { severity: 'warning' }],
    ['push__tag_created.json', { kind: 'github.push', title: 'bradrydzewski created tag v0.0.1' }],
    ['status__failure.json', { kind: 'github.status.failure', outcome: 'failure' }],
    ['create__tag.json', { kind: 'github.create' }],
  ];
  it.each(expectations)('%s reads as %p', (file, expected) => {
    const found = githubCorpus.find(([name]) => name === file);
    expect(found).toBeDefined();
    const [, bytes, headers] = found ?? ['', Buffer.from('{}'), {}];
    expect(normalize(headers['X-GitHub-Event'] ?? '', JSON.parse(bytes.toString()))).toMatchObject(expected);
  });
});

describe('normalizeGithub', () => {
  it('reports a failed workflow run as an error on its branch, with duration and a link to the run', () => {
    const payload = octokitExample('workflow_run', (p) => p.action === 'completed');
    Object.assign(payload.workflow_run as object, { conclusion: 'failure' });
    const event = normalize('workflow_run', payload);
    expect(event).toMatchObject({
      kind: 'github.workflow_run.completed',
      outcome: 'failure',
      severity: 'error',
      branch: 'main',
    });
    expect(event.title).toMatch(/failed on main/);
    const message = formatted(event);
    expect(message.text).toMatch(/^🔴 /);
    expect(message.buttons?.[0]).toMatchObject({ label: 'View run', type: '-' });
  });

  it('tells force pushes, deletions and tag pushes apart', () => {
    const base = octokitExample('push', (p) => p.ref === 'refs/heads/master');
    const forced = normalize('push', { ...base, forced: true, created: false, before: 'a'.repeat(40) });
    expect(forced.facts).toMatchObject({ type: 'push', forced: true });
    expect(forced.title).toMatch(/^Codertocat force-pushed to master/);
    const deleted = normalize('push', {
      ...base,
      deleted: true,
      created: false,
      before: 'a'.repeat(40),
      after: '0'.repeat(40),
      commits: [],
      head_commit: null,
    });
    expect(deleted.title).toBe('Codertocat deleted master');
    const tag = normalize(
      'push',
      octokitExample('push', (p) => p.ref === 'refs/tags/simple-tag'),
    );
    expect(tag.facts).toMatchObject({ refType: 'tag', ref: 'simple-tag' });
  });

  it('keeps a 2048-commit push small: the newest 20 commits and the true count', () => {
    const base = octokitExample('push', (p) => p.ref === 'refs/heads/master');
    const commit = (base.commits as Record<string, unknown>[])[0] ?? {};
    const commits = Array.from({ length: 2048 }, (_, i) => ({
      ...commit,
      id: `${i}`.padStart(40, '0'),
      message: `commit ${i}\n\n${'x'.repeat(5000)}`,
    }));
    const event = normalize('push', { ...base, commits, created: false });
    expect(event.facts).toMatchObject({ commitCount: 2048 });
    expect(event.facts.type === 'push' && event.facts.commits.map((c) => c.message)).toEqual(
      Array.from({ length: 20 }, (_, i) => `commit ${2028 + i}`),
    );
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(32 * 1024);
  });

  it('marks bots as bots and tolerates the ghost user and nameless workflows', () => {
    const payload = octokitExample('workflow_run', (p) => p.action === 'completed');
    Object.assign(payload.workflow_run as object, { name: '' });
    const event = normalize('workflow_run', {
      ...payload,
      sender: { login: 'dependabot[bot]', type: 'Bot' },
    });
    expect(event.actor).toMatchObject({ name: 'dependabot[bot]', bot: true });
    expect(v.safeParse(VigilEvent, event).success).toBe(true);
    expect(normalize('push', { sender: { login: 'ghost' } }).actor?.bot).toBe(false);
  });

  it('treats a leaked secret as critical', () => {
    const event = normalize('secret_scanning_alert', {
      action: 'created',
      alert: {
        number: 3,
        secret_type: 'aws_access_key_id',
        secret_type_display_name: 'AWS Access Key ID',
        html_url: 'https://github.com/o/r/security/secret-scanning/3',
      },
      repository: { full_name: 'o/r', html_url: 'https://github.com/o/r' },
    });
    expect(event).toMatchObject({ kind: 'github.secret_scanning_alert.created', severity: 'critical' });
    expect(formatted(event).text).toMatch(/^🚨 .*AWS Access Key ID/);
  });

  it('never fails on hostile shapes: wrong types everywhere still yield a valid event', () => {
    for (const event of [
      'push',
      'pull_request',
      'workflow_run',
      'deployment_status',
      'issues',
      'release',
      'dependabot_alert',
      'whatever',
    ]) {
      const hostile = {
        action: 7,
        ref: {},
        repository: 'x',
        sender: [],
        pull_request: 'no',
        workflow_run: null,
        commits: 'many',
      };
      expectDeliverable(normalize(event, hostile as unknown as Record<string, unknown>));
    }
  });
});

describe('formatGithub', () => {
  it('escapes user text so a commit message cannot mention @all or inject links', () => {
    const base = octokitExample('push', (p) => p.ref === 'refs/heads/master');
    const commits = [
      {
        id: 'a'.repeat(40),
        message: 'hey {@all} see [click](https://evil.example) *now*',
        author: { name: 'x' },
      },
    ];
    const message = formatted(normalize('push', { ...base, commits, created: false }));
    const everything = JSON.stringify(message);
    expect(everything).not.toContain('{@all}');
    expect(everything).not.toContain('](https://evil');
    expect(everything).not.toMatch(/\*now\*/);
  });

  it('shows the facts that matter for a pull request and links to it', () => {
    const message = formatted(
      normalize(
        'pull_request',
        octokitExample('pull_request', (p) => p.action === 'opened'),
      ),
    );
    const labels = Object.assign({}, ...((message.slides?.[0]?.data ?? []) as Record<string, string>[]));
    expect(labels).toHaveProperty('Number');
    expect(labels).toHaveProperty('Branches');
    expect(message.buttons?.[0]?.label).toBe('View pull request');
  });
});
