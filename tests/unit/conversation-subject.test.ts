import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConversation } from '../../lib/conversation/explain';
import { boundKey, subjectOf } from '../../lib/conversation/subject';
import { normalizeGithub } from '../../lib/sources/github/normalize';
import { normalizeGitlab } from '../../lib/sources/gitlab/normalize';
import { readAlertGroup } from '../../lib/sources/shared/alerting/normalize';
import { corpusFile, NO_CORPUS } from '../../tools/harness/corpus';
import { renderExplained } from '../../tools/route/explain';
import {
  alertGroup,
  pullRequest,
  push,
  runPart,
  sentryIssue,
  workflowRun,
} from '../helpers/conversation-events';

const sample = (dir: string, file: string) => {
  const event = JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', dir, file), 'utf8'));
  return {
    body: JSON.parse(event.body) as Record<string, unknown>,
    headers: event.headers as Record<string, string>,
  };
};

const github = (file: string) => {
  const { body, headers } = sample('github', file);
  return normalizeGithub({
    event: headers['x-github-event'] ?? '',
    payload: body,
    id: 'd1',
    receivedAt: '2026-11-23T12:00:00.000Z',
  });
};

describe('conversation subjects', () => {
  it('keys a pull request by repository and number, and its comments (issue_comment on a PR) the same', () => {
    expect(subjectOf(pullRequest('e1', 12, 'opened'))).toMatchObject({
      key: 'github:acme/app:pr:12',
      family: 'thread',
    });
  });

  it('keys a finished workflow run by workflow and branch, with its run and check suite ids and its commit for folding', () => {
    const subject = subjectOf(github('workflow_run-failure.json'));
    expect(subject).toEqual({
      key: 'github:Codertocat/Hello-World:workflow:Manually triggered workflow:main',
      family: 'ci',
      label: 'workflow Manually triggered workflow on main',
      runKeys: [
        'github:Codertocat/Hello-World:run:1589141559',
        'github:Codertocat/Hello-World:suite:4683454167',
      ],
      commitKey: 'github:Codertocat/Hello-World:head:5779607b49aa',
      claim: 'github:Codertocat/Hello-World:run:1589141559',
    });
  });

  it('links a check suite to its commit, though it cannot name its run', () => {
    const suite = subjectOf(runPart('s', 'check_suite', 'failure', { checkSuiteId: 9, headSha: 'fff' }));
    const job = subjectOf(runPart('j', 'workflow_job', 'failure', { runId: 5, headSha: 'fff' }));
    expect(suite?.commitKey).toBe('github:acme/app:head:fff');
    expect(suite?.claim).toBeUndefined();
    expect(job?.commitKey).toBe(suite?.commitKey);
    expect(job?.claim).toBe('github:acme/app:run:5');
  });

  it('folds a workflow job into its run, naming the workflow on its branch', () => {
    const subject = subjectOf(github('workflow_job-failure.json'));
    expect(subject?.family).toBe('ci-part');
    expect(subject?.runKeys?.[0]).toMatch(/:run:2202229078$/);
    expect(subject?.ciKey).toMatch(/:workflow:CodeQL:main$/);
  });

  const checkRun = corpusFile('github', 'check_run__completed_failure.json');
  (checkRun ? it : it.skip)(
    `reads the run id of a GitHub Actions check run from its details URL${checkRun ? '' : ` ${NO_CORPUS}`}`,
    () => {
      const payload = JSON.parse(checkRun?.toString('utf8') ?? '{}');
      const event = normalizeGithub({
        event: 'check_run',
        payload,
        id: 'c1',
        receivedAt: '2026-11-23T12:00:00.000Z',
      });
      expect(subjectOf(event)?.runKeys).toEqual([
        expect.stringMatching(/:run:21484616811$/),
        expect.stringMatching(/:suite:55811931452$/),
      ]);
    },
  );

  it('treats a check run of another CI app as its own result per check and branch', () => {
    const subject = subjectOf(
      runPart('c', 'check_run', 'failure', { checkSuiteId: 5, name: 'circleci: test' }),
    );
    expect(subject).toMatchObject({ family: 'ci', key: 'github:acme/app:check:circleci: test:main' });
  });

  it('folds GitLab jobs into their pipeline, and keys a finished pipeline by ref', () => {
    const job = sample('gitlab', 'job-failed.json');
    const jobSubject = subjectOf(normalizeGitlab(job.body, 'Job Hook', 'j1', '2026-11-23T12:00:00.000Z'));
    const pipeline = sample('gitlab', 'pipeline-failed.json');
    const pipelineEvent = normalizeGitlab(pipeline.body, 'Pipeline Hook', 'p1', '2026-11-23T12:00:00.000Z');
    const pipelineSubject = subjectOf(pipelineEvent);
    expect(jobSubject?.family).toBe('ci-part');
    expect(pipelineSubject?.family).toBe('ci');
    expect(pipelineSubject?.key).toBe(
      `gitlab:${pipelineEvent.subject.name}:pipeline:${pipelineEvent.branch}`,
    );
    expect(jobSubject?.ciKey).toBe(pipelineSubject?.key);
  });

  it('keys an alert group by receiver and group key, which the normalizer hashes when long', () => {
    expect(subjectOf(alertGroup('a', 'firing', 1, 0))?.key).toBe(
      'alertmanager:group:cliq:{}:{alertname="HighLatency"}',
    );
    const long = readAlertGroup(
      { groupKey: `{}:{${'x="y",'.repeat(100)}}`, alerts: [] },
      { silenceFromExternalUrl: false },
    );
    expect(long.facts.groupKey).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('keys a Sentry issue by project and issue id, and ends incidents but not threads on success', () => {
    expect(subjectOf(sentryIssue('s', 'created'))).toMatchObject({
      key: 'sentry:backend:issue:42',
      family: 'thread',
    });
    expect(subjectOf(alertGroup('a', 'firing', 1, 0))?.family).toBe('incident');
  });

  it('gives pushes no subject: they post as they always did', () => {
    expect(subjectOf(push('p'))).toBeUndefined();
  });

  it('bounds long keys with a hash of the whole, so two long names never collide', () => {
    const a = boundKey(`x:${'a'.repeat(500)}:1`);
    const b = boundKey(`x:${'a'.repeat(500)}:2`);
    expect(a.length).toBeLessThanOrEqual(400);
    expect(a).not.toBe(b);
  });

  it('keys workflow runs without ids by commit, so runs of other commits stay apart', () => {
    const one = subjectOf(workflowRun('w', 'failure', { headSha: 'aaa' }));
    const two = subjectOf(workflowRun('w', 'failure', { headSha: 'bbb' }));
    expect(one?.runKeys).not.toEqual(two?.runKeys);
  });
});

describe('npm run route on conversations', () => {
  it('says why a CI success after a success would post nothing, and that `ci: every` posts each run', () => {
    const event = workflowRun('w', 'success', { runId: 1 });
    const decision = {
      destinations: [{ channel: 'ci', mention: [] }],
      matched: ['ci'],
      decidedBy: 'ci',
      dropped: false,
    };
    const text = renderExplained([{ event, decision, messages: [] }]);
    expect(text).toContain(
      'conversation: workflow CI on main (github:acme/app:workflow:CI:main): posts on changes',
    );
    expect(text).toContain('a success after a success posts nothing (unchanged)');
    expect(describeConversation(event, 'every')).toContain('posts every run');
    expect(describeConversation(push('p'))).toBe('none: posts on its own');
  });
});
