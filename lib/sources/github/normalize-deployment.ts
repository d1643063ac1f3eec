import type { Outcome, Severity } from '../../event/fields';
import { LIMITS } from '../../event/fields';
import { at, count, list, str } from '../../util/json';
import { optional } from '../../util/object';
import { optionalText } from '../../util/text';
import {
  type GithubContext,
  type GithubParts,
  isoOrUndefined,
  optionalUrl,
  outcomeOfConclusion,
  shortSha,
} from './common';

const PRODUCTION = /^prod(uction)?\b/i;

/** Deployment and commit-status states share GitHub's conclusion vocabulary, plus `inactive` (superseded). */
const outcomeOfState = (state: string | undefined): Outcome =>
  state === 'inactive' ? 'neutral' : outcomeOfConclusion(state);

const severityOfDeploy = (outcome: Outcome, environment: string | undefined): Severity =>
  outcome !== 'failure'
    ? 'info'
    : environment !== undefined && PRODUCTION.test(environment)
      ? 'critical'
      : 'error';

/** deployment and deployment_status. */
export const normalizeDeployment = ({ payload, action, event }: GithubContext): GithubParts => {
  const deployment = at(payload, 'deployment');
  const status = event === 'deployment_status' ? at(payload, 'deployment_status') : undefined;
  const environment = str(status, 'environment') ?? str(deployment, 'environment');
  const state = str(status, 'state');
  const outcome = event === 'deployment_status' ? outcomeOfState(state) : 'pending';
  const ref = str(deployment, 'ref');
  return {
    title:
      event === 'deployment_status'
        ? `Deployment to ${environment ?? 'an environment'} ${state ?? 'updated'}${ref === undefined ? '' : ` (${ref})`}`
        : `Deployment of ${ref ?? 'a ref'} to ${environment ?? 'an environment'} requested`,
    outcome,
    severity: severityOfDeploy(outcome, environment),
    url:
      str(status, 'target_url') ??
      str(status, 'log_url') ??
      str(payload, 'workflow_run', 'html_url') ??
      str(payload, 'repository', 'html_url'),
    environment,
    occurredAt: isoOrUndefined(str(status, 'updated_at') ?? str(deployment, 'updated_at')),
    kindSuffix: event === 'deployment_status' ? (state ?? action) : action,
    facts: {
      type: 'deployment',
      event: event === 'deployment_status' ? 'deployment_status' : 'deployment',
      ...optional('action', action),
      ...optional('state', state?.slice(0, LIMITS.state)),
      ...optional('ref', optionalText(ref, LIMITS.name)),
      ...optional('sha', shortSha(str(deployment, 'sha'))),
      ...optional('deploymentId', count(deployment, 'id')),
      ...optional(
        'description',
        optionalText(str(status, 'description') ?? str(deployment, 'description'), LIMITS.body),
      ),
      ...optionalUrl('logUrl', str(status, 'log_url') ?? str(status, 'target_url')),
      ...optionalUrl('environmentUrl', str(status, 'environment_url')),
    },
  };
};

/** The commit status API (`status`): external CI reporting on a commit. */
export const normalizeStatus = ({ payload }: GithubContext): GithubParts => {
  const state = str(payload, 'state');
  const outcome = outcomeOfState(state);
  const context = str(payload, 'context') ?? 'status';
  const branches = list(payload, 'branches')
    .map((branch) => str(branch, 'name'))
    .filter((name): name is string => name !== undefined);
  return {
    title: `${context} ${state ?? 'updated'} on ${shortSha(str(payload, 'sha')) ?? 'a commit'}`,
    outcome,
    severity: outcome === 'failure' ? 'error' : 'info',
    url: str(payload, 'target_url') ?? str(payload, 'commit', 'html_url'),
    branch: branches[0],
    occurredAt: isoOrUndefined(str(payload, 'updated_at')),
    kindSuffix: state,
    facts: {
      type: 'deployment',
      event: 'status',
      ...optional('state', state?.slice(0, LIMITS.state)),
      context: context.slice(0, LIMITS.shortText),
      ...optional('sha', shortSha(str(payload, 'sha'))),
      ...optional('description', optionalText(str(payload, 'description'), LIMITS.body)),
      ...optionalUrl('logUrl', str(payload, 'target_url')),
    },
  };
};
