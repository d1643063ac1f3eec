import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import examples from '@octokit/webhooks-examples';
import { githubSamples } from '../../lib/sources/github/samples';

/** The secret the burst's stack is configured with (GITHUB_WEBHOOK_SECRET). */
export const BURST_SECRET = 'burst-github-secret';

/** A matrix of 256 jobs (GitHub's limit per workflow run) that fails fast: one job fails, 255 are cancelled. */
export const MATRIX_JOBS = 256;

/** One webhook of the burst, signed as GitHub signs it. */
export interface BurstWebhook {
  /** X-GitHub-Delivery: what the burst counts on the queue. */
  readonly delivery: string;
  readonly event: 'workflow_job' | 'check_run';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const ROOT = join(__dirname, '..', '..');
const REPO = 'acme/monorepo';
const ENDED_AT = Date.parse('2026-11-23T11:50:00.000Z');

/** GitHub's delivery ids are GUIDs; these are derived from the run and job so a burst is the same every time. */
const guid = (seed: string) => {
  const hex = createHash('sha1').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

const time = (ms: number) => new Date(ms).toISOString().replace('.000', '');

const templates = () => {
  const sample = JSON.parse(
    readFileSync(join(ROOT, 'events', 'github', 'workflow_job-failure.json'), 'utf8'),
  );
  const job = JSON.parse(sample.body as string) as Record<string, unknown>;
  const check = examples
    .find((entry) => entry.name === 'check_run')
    ?.examples.find((payload) => (payload as { action?: string }).action === 'completed') as
    | Record<string, unknown>
    | undefined;
  if (check === undefined) throw new Error('@octokit/webhooks-examples has no completed check_run');
  const repository = {
    ...(job.repository as object),
    name: REPO.split('/')[1],
    full_name: REPO,
    html_url: `https://github.com/${REPO}`,
  };
  return { job, check, repository };
};

/**
 * Job `index` of matrix run `run`, completed as a fail-fast matrix ends: the first job failed, the others
 * were cancelled. Its workflow_job and its check_run (GitHub Actions sends both for every job).
 */
const jobCompletion = (
  t: ReturnType<typeof templates>,
  run: number,
  index: number,
): [Record<string, unknown>, Record<string, unknown>] => {
  const runId = 9_000_000_000 + run;
  const jobId = 30_000_000_000 + run * MATRIX_JOBS + index;
  const sha = createHash('sha1').update(`burst-run-${run}`).digest('hex');
  const conclusion = index === 0 ? 'failure' : 'cancelled';
  const name = `test (shard ${index + 1}/${MATRIX_JOBS})`;
  const jobUrl = `https://github.com/${REPO}/actions/runs/${runId}/job/${jobId}`;
  const startedAt = time(ENDED_AT - 240_000);
  const completedAt = time(ENDED_AT + run * 600_000 + index * 10);
  const workflowJob = t.job.workflow_job as Record<string, unknown>;
  const job = {
    ...t.job,
    action: 'completed',
    repository: t.repository,
    workflow_job: {
      ...workflowJob,
      id: jobId,
      run_id: runId,
      run_url: `https://api.github.com/repos/${REPO}/actions/runs/${runId}`,
      run_attempt: 1,
      head_sha: sha,
      head_branch: 'main',
      url: `https://api.github.com/repos/${REPO}/actions/jobs/${jobId}`,
      html_url: jobUrl,
      status: 'completed',
      conclusion,
      started_at: startedAt,
      completed_at: completedAt,
      name,
      workflow_name: 'CI',
    },
  };
  const checkRun = t.check.check_run as Record<string, unknown>;
  const check = {
    ...t.check,
    action: 'completed',
    repository: t.repository,
    check_run: {
      ...checkRun,
      id: jobId,
      head_sha: sha,
      url: `https://api.github.com/repos/${REPO}/check-runs/${jobId}`,
      html_url: jobUrl,
      details_url: jobUrl,
      status: 'completed',
      conclusion,
      started_at: startedAt,
      completed_at: completedAt,
      name,
      check_suite: {
        ...(checkRun.check_suite as object),
        id: 20_000_000_000 + run,
        head_branch: 'main',
        head_sha: sha,
      },
      app: { ...(checkRun.app as object), name: 'GitHub Actions', slug: 'github-actions' },
    },
  };
  return [job, check];
};

/**
 * `count` webhooks: the workflow_job and check_run completions of fail-fast 256-job matrix runs, job by job,
 * one run after another (a new run id and commit each time) until `count` are made.
 */
export const burstWebhooks = (count: number): BurstWebhook[] => {
  const t = templates();
  const out: BurstWebhook[] = [];
  for (let run = 0; out.length < count; run++)
    for (let index = 0; index < MATRIX_JOBS && out.length < count; index++) {
      const pair = jobCompletion(t, run, index);
      for (const [event, payload] of [
        ['workflow_job', pair[0]],
        ['check_run', pair[1]],
      ] as const) {
        if (out.length === count) break;
        const body = JSON.stringify(payload);
        const delivery = guid(`burst-${run}-${index}-${event}`);
        out.push({
          delivery,
          event,
          body,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'GitHub-Hookshot/burst',
            'x-github-event': event,
            'x-github-delivery': delivery,
            'x-github-hook-id': '123',
            ...githubSamples.credentials(body, BURST_SECRET).headers,
          },
        });
      }
    }
  return out;
};
