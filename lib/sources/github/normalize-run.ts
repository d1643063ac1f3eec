import { LIMITS } from '../../event/fields';
import { at, count, list, str } from '../../util/json';
import { lookupTable, optional } from '../../util/object';
import { clip, optionalText, secondsBetween } from '../../util/text';
import {
  type GithubContext,
  type GithubParts,
  isoOrUndefined,
  outcomeOfConclusion,
  severityOf,
  shortSha,
} from './common';

type RunEvent = 'workflow_run' | 'workflow_job' | 'check_run' | 'check_suite';

const NOUN: Record<RunEvent, string> = {
  workflow_run: 'Workflow',
  workflow_job: 'Job',
  check_run: 'Check',
  check_suite: 'Check suite',
};

const RESULT_VERB = lookupTable<string>({
  success: 'succeeded',
  failure: 'failed',
  timed_out: 'timed out',
  cancelled: 'was cancelled',
  startup_failure: 'failed to start',
  action_required: 'needs action',
  skipped: 'was skipped',
  neutral: 'finished (neutral)',
  stale: 'went stale',
});

/** A GitHub Actions check run links to its workflow run: `…/actions/runs/<run id>/job/<job id>`. */
const actionsRunId = (url: string | undefined): number | undefined => {
  const id = /\/actions\/runs\/(\d{1,18})(?:\/|$)/.exec(url ?? '')?.[1];
  return id === undefined ? undefined : Number(id);
};

/** workflow_run, workflow_job, check_run and check_suite: CI results a team acts on. */
export const normalizeRun = ({
  payload,
  action,
  event,
}: GithubContext & { event: RunEvent }): GithubParts => {
  const run = at(payload, event);
  const status = str(run, 'status');
  const conclusion = str(run, 'conclusion');
  const outcome = outcomeOfConclusion(conclusion, status);
  const name =
    str(run, 'name') ??
    str(run, 'display_title') ??
    str(run, 'app', 'name') ??
    str(payload, 'workflow', 'name') ??
    NOUN[event];
  const branch = str(run, 'head_branch') ?? str(run, 'check_suite', 'head_branch');
  const startedAt = str(run, 'run_started_at') ?? str(run, 'started_at') ?? str(run, 'created_at');
  const endedAt = str(run, 'completed_at') ?? (status === 'completed' ? str(run, 'updated_at') : undefined);
  const duration = secondsBetween(startedAt, endedAt);
  const result =
    RESULT_VERB[conclusion ?? ''] ?? (conclusion ?? status ?? action ?? 'updated').replace(/_/g, ' ');
  const failedSteps = list(run, 'steps')
    .filter((step) => ['failure', 'timed_out', 'cancelled'].includes(str(step, 'conclusion') ?? ''))
    .map((step) => clip(str(step, 'name') ?? 'step', LIMITS.shortText))
    .slice(0, LIMITS.steps);
  const summary = str(run, 'output', 'title') ?? str(run, 'output', 'summary');
  const runId =
    event === 'workflow_run'
      ? count(run, 'id')
      : event === 'workflow_job'
        ? count(run, 'run_id')
        : event === 'check_run'
          ? actionsRunId(str(run, 'details_url') ?? str(run, 'html_url'))
          : undefined;
  const checkSuiteId =
    event === 'check_suite'
      ? count(run, 'id')
      : event === 'check_run'
        ? count(run, 'check_suite', 'id')
        : event === 'workflow_run'
          ? count(run, 'check_suite_id')
          : undefined;

  return {
    title: `${NOUN[event]} ${name} ${result}${branch === undefined ? '' : ` on ${branch}`}`,
    outcome,
    severity: conclusion === 'startup_failure' || conclusion === 'timed_out' ? 'error' : severityOf(outcome),
    url: str(run, 'html_url') ?? str(run, 'details_url'),
    branch,
    occurredAt: isoOrUndefined(endedAt ?? str(run, 'updated_at') ?? startedAt),
    facts: {
      type: 'run',
      event,
      ...optional('action', action),
      name: clip(name, LIMITS.shortText),
      ...optional('status', status?.slice(0, LIMITS.state)),
      ...optional('conclusion', conclusion?.slice(0, LIMITS.state)),
      ...optional('headSha', shortSha(str(run, 'head_sha') ?? str(run, 'after'))),
      ...optional('runNumber', count(run, 'run_number')),
      ...optional('runId', runId),
      ...optional('checkSuiteId', checkSuiteId),
      ...optional('attempt', count(run, 'run_attempt')),
      ...optional('durationSeconds', duration),
      ...optional('trigger', str(run, 'event')?.slice(0, LIMITS.action)),
      ...optional(
        'workflowName',
        optionalText(str(run, 'workflow_name') ?? str(payload, 'workflow', 'name'), LIMITS.shortText),
      ),
      failedSteps,
      ...optional('summary', optionalText(summary, LIMITS.body)),
    },
  };
};
