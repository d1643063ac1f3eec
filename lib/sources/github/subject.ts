import { type Subject, subjectKey } from '../../conversation/subject-key';
import type { GithubEvent } from './facts';

/**
 * A pull request and its comments, an issue, a security alert and a deployment are threads; a workflow run's
 * result is CI, and its jobs, checks and suite fold into it (by run id, check suite id, or commit).
 */
export const githubSubject = (event: GithubEvent): Subject | undefined => {
  const repo = event.subject.name;
  const facts = event.facts;
  switch (facts.type) {
    case 'pull_request':
      return {
        key: subjectKey('github', repo, 'pr', facts.number),
        family: 'thread',
        label: `pull request #${facts.number}`,
      };
    case 'issue':
      return facts.isPullRequest
        ? {
            key: subjectKey('github', repo, 'pr', facts.number),
            family: 'thread',
            label: `pull request #${facts.number}`,
          }
        : {
            key: subjectKey('github', repo, 'issue', facts.number),
            family: 'thread',
            label: `issue #${facts.number}`,
          };
    case 'security_alert':
      return facts.number === undefined
        ? undefined
        : {
            key: subjectKey('github', repo, facts.alert, facts.number),
            family: 'thread',
            label: `${facts.alert.replace(/_/g, ' ')} #${facts.number}`,
          };
    case 'deployment': {
      if (facts.event === 'status') return undefined;
      const environment = event.environment ?? '';
      const id = facts.deploymentId ?? facts.sha ?? facts.ref;
      return {
        key: subjectKey('github', repo, 'deployment', environment, id),
        family: 'thread',
        label: `the deployment to ${environment || 'an environment'}`,
      };
    }
    case 'run': {
      const branch = event.branch ?? '';
      const ids = [
        facts.runId === undefined ? undefined : subjectKey('github', repo, 'run', facts.runId),
        facts.checkSuiteId === undefined
          ? undefined
          : subjectKey('github', repo, 'suite', facts.checkSuiteId),
      ].filter((id): id is string => id !== undefined);
      const commit = subjectKey('github', repo, 'commit', facts.headSha, facts.event, facts.name);
      // an Actions part with an id also links by its commit; one naming its run id joins only that run
      const linked = {
        ...(facts.headSha === undefined || ids.length === 0
          ? {}
          : { commitKey: subjectKey('github', repo, 'head', facts.headSha) }),
        ...(facts.runId === undefined ? {} : { claim: subjectKey('github', repo, 'run', facts.runId) }),
      };
      // finished: a conclusion, or a `completed` status
      const completed =
        facts.conclusion !== undefined || facts.status === undefined || facts.status === 'completed';
      if (facts.event === 'workflow_run') {
        const workflow = facts.workflowName ?? facts.name;
        const ciKey = subjectKey('github', repo, 'workflow', workflow, branch);
        const runKeys = ids.length > 0 ? ids : [commit];
        return completed
          ? {
              key: ciKey,
              family: 'ci',
              label: `workflow ${workflow} on ${branch || 'its branch'}`,
              runKeys,
              ...linked,
            }
          : {
              key: runKeys[0] ?? commit,
              family: 'ci-part',
              label: `a run of workflow ${workflow}`,
              runKeys,
              ciKey,
              ...linked,
            };
      }
      if (facts.event === 'workflow_job') {
        const ciKey =
          facts.workflowName === undefined
            ? undefined
            : subjectKey('github', repo, 'workflow', facts.workflowName, branch);
        const runKeys = ids.length > 0 ? ids : [commit];
        return {
          key: runKeys[0] ?? commit,
          family: 'ci-part',
          label: `a job of ${facts.workflowName === undefined ? 'a workflow run' : `workflow ${facts.workflowName}`}`,
          runKeys,
          ...(ciKey === undefined ? {} : { ciKey }),
          ...linked,
        };
      }
      if (facts.event === 'check_run' && facts.runId === undefined) {
        // a check run of another CI app (not GitHub Actions) is its own result, per check on a branch
        const runKeys = [commit];
        return completed
          ? {
              key: subjectKey('github', repo, 'check', facts.name, branch),
              family: 'ci',
              label: `check ${facts.name} on ${branch || 'its branch'}`,
              runKeys,
            }
          : { key: commit, family: 'ci-part', label: `check ${facts.name}`, runKeys };
      }
      const runKeys = ids.length > 0 ? ids : [commit];
      return {
        key: runKeys[0] ?? commit,
        family: 'ci-part',
        label: `part of a workflow run`,
        runKeys,
        ...linked,
      };
    }
    default:
      return undefined;
  }
};
