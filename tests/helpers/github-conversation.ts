import { octokitExample, postGithub } from '../../tools/harness/github';
import type { LocalStack } from '../../tools/local/stack';

/** GitHub deliveries about one pull request and one workflow, built from @octokit/webhooks-examples. */

const REPOSITORY = {
  ...(octokitExample('pull_request').repository as object),
  full_name: 'acme/conversations',
  default_branch: 'main',
};

export const pullRequest = (action: 'opened' | 'closed', merged = false) => {
  const payload = octokitExample('pull_request', (p) => p.action === 'opened');
  const pr = payload.pull_request as Record<string, unknown>;
  return {
    ...payload,
    action,
    number: 41,
    repository: REPOSITORY,
    pull_request: { ...pr, number: 41, merged, merged_at: merged ? '2026-11-23T12:00:00Z' : null },
  };
};

export const review = () => {
  const payload = octokitExample('pull_request_review', (p) => p.action === 'submitted');
  const pr = payload.pull_request as Record<string, unknown>;
  return { ...payload, repository: REPOSITORY, pull_request: { ...pr, number: 41 } };
};

export const workflowRun = (id: number, conclusion: 'failure' | 'success') => {
  const payload = octokitExample('workflow_run', (p) => p.action === 'completed');
  const run = payload.workflow_run as Record<string, unknown>;
  return {
    ...payload,
    repository: REPOSITORY,
    workflow: { ...(payload.workflow as object), name: 'CI' },
    workflow_run: {
      ...run,
      id,
      check_suite_id: id + 1000,
      name: 'CI',
      head_branch: 'main',
      status: 'completed',
      conclusion,
    },
  };
};

/**
 * Sends the workflow's completed runs to a running stack one at a time, each accepted (202) and fully
 * delivered before the next, as GitHub would over a run's life.
 */
export const postWorkflowRuns = async (
  stack: Pick<LocalStack, 'url' | 'waitForIdle'>,
  runs: readonly (readonly [number, 'failure' | 'success'])[],
): Promise<void> => {
  for (const [id, conclusion] of runs) {
    const response = await postGithub(stack.url, workflowRun(id, conclusion), {
      event: 'workflow_run',
      delivery: `run-${id}`,
    });
    expect(response.status).toBe(202);
    await stack.waitForIdle();
  }
};
