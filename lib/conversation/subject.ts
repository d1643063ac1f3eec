import type { VigilEvent } from '../event/model';
import { sha256Hex } from '../util/hash';

/**
 * How a subject's conversation behaves:
 * - `thread`: a pull/merge request, issue, deployment, security alert or Sentry issue; one thread for its life.
 * - `incident`: an alert group, a Sentry metric alert, a Docker container; the conversation ends when it
 *   recovers (a success), and the next problem opens a new thread.
 * - `ci`: a run's result for a workflow, pipeline or external check on a branch: changes, not repeats.
 * - `ci-part`: a job, check run, check suite or in-progress notice of a run: folded into that run.
 */
export type SubjectFamily = 'thread' | 'incident' | 'ci' | 'ci-part';

export interface Subject {
  /** The conversation's key, per channel (bounded: long names are hashed). */
  readonly key: string;
  readonly family: SubjectFamily;
  /** What people follow, in words (`npm run route`). */
  readonly label: string;
  /** `ci` and `ci-part`: every id naming the event's run (the first preferred); all fold into one conversation. */
  readonly runKeys?: readonly string[];
  /** `ci-part`: the CI subject, when the event names its workflow or pipeline and branch. */
  readonly ciKey?: string;
  /**
   * A GitHub Actions run's commit (`github:<repo>:head:<sha>`): the first part of a run to arrive points it
   * to the run's state, so parts that cannot name each other's ids (a check suite knows only its suite, a
   * job only its run) still find one another.
   */
  readonly commitKey?: string;
  /** The run the event names by its run id: a run state that another run id already joined is not its run. */
  readonly claim?: string;
}

const MAX_KEY = 400;

/** Keys stay well inside DynamoDB's key limits: a long one keeps its head and ends in a hash of the whole. */
export const boundKey = (key: string): string =>
  key.length <= MAX_KEY ? key : `${key.slice(0, MAX_KEY - 34)}#${sha256Hex(key).slice(0, 32)}`;

const key = (...parts: readonly (string | number | undefined)[]): string =>
  boundKey(parts.map((part) => String(part ?? '')).join(':'));

const FINAL_GITLAB = new Set(['success', 'failed', 'canceled', 'cancelled', 'skipped']);

/** A GitLab pipeline's own name, not the `Pipeline #123` Vigil shows when it has none. */
const pipelineName = (name: string | undefined): string | undefined =>
  name === undefined || /^Pipeline #\d*$/.test(name) ? undefined : name;

const github = (event: Extract<VigilEvent, { source: 'github' }>): Subject | undefined => {
  const repo = event.subject.name;
  const facts = event.facts;
  switch (facts.type) {
    case 'pull_request':
      return {
        key: key('github', repo, 'pr', facts.number),
        family: 'thread',
        label: `pull request #${facts.number}`,
      };
    case 'issue':
      return facts.isPullRequest
        ? {
            key: key('github', repo, 'pr', facts.number),
            family: 'thread',
            label: `pull request #${facts.number}`,
          }
        : {
            key: key('github', repo, 'issue', facts.number),
            family: 'thread',
            label: `issue #${facts.number}`,
          };
    case 'security_alert':
      return facts.number === undefined
        ? undefined
        : {
            key: key('github', repo, facts.alert, facts.number),
            family: 'thread',
            label: `${facts.alert.replace(/_/g, ' ')} #${facts.number}`,
          };
    case 'deployment': {
      if (facts.event === 'status') return undefined;
      const environment = event.environment ?? '';
      const id = facts.deploymentId ?? facts.sha ?? facts.ref;
      return {
        key: key('github', repo, 'deployment', environment, id),
        family: 'thread',
        label: `the deployment to ${environment || 'an environment'}`,
      };
    }
    case 'run': {
      const branch = event.branch ?? '';
      const ids = [
        facts.runId === undefined ? undefined : key('github', repo, 'run', facts.runId),
        facts.checkSuiteId === undefined ? undefined : key('github', repo, 'suite', facts.checkSuiteId),
      ].filter((id): id is string => id !== undefined);
      const commit = key('github', repo, 'commit', facts.headSha, facts.event, facts.name);
      // an Actions part with an id also links by its commit; one naming its run id joins only that run
      const linked = {
        ...(facts.headSha === undefined || ids.length === 0
          ? {}
          : { commitKey: key('github', repo, 'head', facts.headSha) }),
        ...(facts.runId === undefined ? {} : { claim: key('github', repo, 'run', facts.runId) }),
      };
      // finished: a conclusion, or a `completed` status
      const completed =
        facts.conclusion !== undefined || facts.status === undefined || facts.status === 'completed';
      if (facts.event === 'workflow_run') {
        const workflow = facts.workflowName ?? facts.name;
        const ciKey = key('github', repo, 'workflow', workflow, branch);
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
            : key('github', repo, 'workflow', facts.workflowName, branch);
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
              key: key('github', repo, 'check', facts.name, branch),
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

const gitlab = (event: Extract<VigilEvent, { source: 'gitlab' }>): Subject | undefined => {
  const project = event.subject.name;
  const facts = event.facts;
  switch (facts.objectKind) {
    case 'merge_request':
      return facts.number === undefined
        ? undefined
        : {
            key: key('gitlab', project, 'mr', facts.number),
            family: 'thread',
            label: `merge request !${facts.number}`,
          };
    case 'deployment':
      return {
        key: key('gitlab', project, 'deployment', event.environment, facts.number ?? facts.sha),
        family: 'thread',
        label: `the deployment to ${event.environment ?? 'an environment'}`,
      };
    case 'pipeline': {
      const name = pipelineName(facts.name);
      const ciKey = key('gitlab', project, 'pipeline', facts.ref);
      const runKeys = [key('gitlab', project, 'pipeline-run', facts.number ?? facts.sha)];
      return FINAL_GITLAB.has(facts.status ?? '')
        ? {
            key: ciKey,
            family: 'ci',
            label: `${name === undefined ? 'the pipeline' : `pipeline ${name}`} on ${facts.ref ?? 'its ref'}`,
            runKeys,
          }
        : { key: runKeys[0] ?? ciKey, family: 'ci-part', label: 'a running pipeline', runKeys, ciKey };
    }
    case 'build': {
      const runKeys = [
        facts.pipelineId === undefined
          ? key('gitlab', project, 'job', facts.number)
          : key('gitlab', project, 'pipeline-run', facts.pipelineId),
      ];
      return {
        key: runKeys[0] ?? key('gitlab', project, 'job', facts.number),
        family: 'ci-part',
        label: 'a job of a pipeline',
        runKeys,
        ciKey: key('gitlab', project, 'pipeline', facts.ref),
      };
    }
    default:
      return undefined;
  }
};

const sentry = (event: Extract<VigilEvent, { source: 'sentry' }>): Subject | undefined => {
  const facts = event.facts;
  if (facts.resource === 'metric_alert') {
    const rule = facts.ruleId ?? facts.rule;
    return rule === undefined
      ? undefined
      : {
          key: key('sentry', 'metric', rule),
          family: 'incident',
          label: `metric alert ${facts.rule ?? rule}`,
        };
  }
  if (['issue', 'event_alert', 'error'].includes(facts.resource) && facts.issueId !== undefined) {
    return {
      key: key('sentry', facts.project, 'issue', facts.issueId),
      family: 'thread',
      label: `Sentry issue ${facts.shortId ?? facts.issueId}`,
    };
  }
  return undefined;
};

const alertGroup = (
  source: string,
  facts: { receiver?: string | undefined; groupKey?: string | undefined; groupLabels: readonly string[] },
): Subject => ({
  key: key(source, 'group', facts.receiver, facts.groupKey ?? facts.groupLabels.join(',')),
  family: 'incident',
  label: `alert group ${facts.groupLabels.join(', ') || (facts.groupKey ?? '')}`.trim(),
});

/** The subject an event belongs to, or undefined for events that stand alone (pushes, releases, pings…). */
export const subjectOf = (event: VigilEvent): Subject | undefined => {
  switch (event.source) {
    case 'github':
      return github(event);
    case 'gitlab':
      return gitlab(event);
    case 'sentry':
      return sentry(event);
    case 'alertmanager':
      return alertGroup('alertmanager', event.facts);
    case 'grafana':
      return event.facts.type === 'alert_group'
        ? alertGroup('grafana', event.facts)
        : event.facts.ruleName === undefined
          ? undefined
          : {
              key: key('grafana', 'rule', event.facts.ruleName),
              family: 'incident',
              label: `alert ${event.facts.ruleName}`,
            };
    case 'docker':
      return event.facts.type === 'container'
        ? {
            key: key('docker', event.facts.host ?? event.subject.name, event.facts.container),
            family: 'incident',
            label: `container ${event.facts.container}`,
          }
        : undefined;
  }
};
