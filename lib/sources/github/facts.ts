import * as v from 'valibot';
import { bounded, count, envelopeEntries, httpUrl, LIMITS } from '../../event/fields';

const action = v.optional(bounded(LIMITS.action));
const sha = bounded(LIMITS.sha);

const push = v.object({
  type: v.literal('push'),
  ref: bounded(LIMITS.name),
  refType: v.picklist(['branch', 'tag']),
  created: v.boolean(),
  deleted: v.boolean(),
  forced: v.boolean(),
  before: sha,
  after: sha,
  compareUrl: v.optional(httpUrl),
  commitCount: count,
  commits: v.pipe(
    v.array(
      v.object({
        sha,
        message: bounded(LIMITS.shortText),
        author: bounded(LIMITS.name),
        url: v.optional(httpUrl),
      }),
    ),
    v.maxLength(LIMITS.commits),
  ),
});

const pullRequest = v.object({
  type: v.literal('pull_request'),
  action,
  number: count,
  state: bounded(LIMITS.state),
  merged: v.boolean(),
  draft: v.boolean(),
  headRef: v.optional(bounded(LIMITS.name)),
  baseRef: v.optional(bounded(LIMITS.name)),
  additions: v.optional(count),
  deletions: v.optional(count),
  changedFiles: v.optional(count),
  reviewState: v.optional(bounded(LIMITS.state)),
  body: v.optional(bounded(LIMITS.body)),
});

const issue = v.object({
  type: v.literal('issue'),
  action,
  number: count,
  state: v.optional(bounded(LIMITS.state)),
  isPullRequest: v.boolean(),
  body: v.optional(bounded(LIMITS.body)),
});

const release = v.object({
  type: v.literal('release'),
  action,
  tag: bounded(LIMITS.name),
  name: v.optional(bounded(LIMITS.shortText)),
  prerelease: v.boolean(),
  draft: v.boolean(),
  body: v.optional(bounded(LIMITS.body)),
});

/** workflow_run, workflow_job, check_run and check_suite: one shape, since a team reads them alike. */
const run = v.object({
  type: v.literal('run'),
  event: v.picklist(['workflow_run', 'workflow_job', 'check_run', 'check_suite']),
  action,
  name: bounded(LIMITS.shortText),
  status: v.optional(bounded(LIMITS.state)),
  conclusion: v.optional(bounded(LIMITS.state)),
  headSha: v.optional(sha),
  runNumber: v.optional(count),
  /** The workflow run (workflow_run, workflow_job, and a GitHub Actions check_run): folds a run's events into one conversation. */
  runId: v.optional(count),
  /** The check suite (workflow_run, check_run, check_suite): GitHub Actions makes one per workflow run. */
  checkSuiteId: v.optional(count),
  attempt: v.optional(count),
  durationSeconds: v.optional(count),
  trigger: v.optional(bounded(LIMITS.action)),
  workflowName: v.optional(bounded(LIMITS.shortText)),
  failedSteps: v.pipe(v.array(bounded(LIMITS.shortText)), v.maxLength(LIMITS.steps)),
  summary: v.optional(bounded(LIMITS.body)),
});

const deployment = v.object({
  type: v.literal('deployment'),
  event: v.picklist(['deployment', 'deployment_status', 'status']),
  action,
  state: v.optional(bounded(LIMITS.state)),
  context: v.optional(bounded(LIMITS.shortText)),
  ref: v.optional(bounded(LIMITS.name)),
  sha: v.optional(sha),
  deploymentId: v.optional(count),
  description: v.optional(bounded(LIMITS.body)),
  logUrl: v.optional(httpUrl),
  environmentUrl: v.optional(httpUrl),
});

const ref = v.object({
  type: v.literal('ref'),
  action: v.picklist(['created', 'deleted']),
  refType: bounded(LIMITS.state),
  ref: bounded(LIMITS.name),
});

const securityAlert = v.object({
  type: v.literal('security_alert'),
  alert: v.picklist(['dependabot_alert', 'code_scanning_alert', 'secret_scanning_alert']),
  action,
  number: v.optional(count),
  state: v.optional(bounded(LIMITS.state)),
  alertSeverity: v.optional(bounded(LIMITS.state)),
  summary: v.optional(bounded(LIMITS.shortText)),
  package: v.optional(bounded(LIMITS.shortText)),
  manifest: v.optional(bounded(LIMITS.name)),
  rule: v.optional(bounded(LIMITS.shortText)),
  tool: v.optional(bounded(LIMITS.shortText)),
  secretType: v.optional(bounded(LIMITS.shortText)),
  fixedIn: v.optional(bounded(LIMITS.shortText)),
});

/** Any of GitHub's other events: kept so nothing is refused, shown with what every payload has. */
const generic = v.object({ type: v.literal('generic'), event: bounded(LIMITS.eventName), action });

export const GithubFacts = v.variant('type', [
  push,
  pullRequest,
  issue,
  release,
  run,
  deployment,
  ref,
  securityAlert,
  generic,
]);
export type GithubFacts = v.InferOutput<typeof GithubFacts>;

export const GithubEvent = v.object({ ...envelopeEntries, source: v.literal('github'), facts: GithubFacts });
export type GithubEvent = v.InferOutput<typeof GithubEvent>;
