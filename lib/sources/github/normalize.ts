import { LIMITS } from '../../event/fields';
import { str } from '../../util/json';
import { assemble, type GithubContext, type GithubParts } from './common';
import type { GithubEvent } from './facts';
import { normalizeDeployment, normalizeStatus } from './normalize-deployment';
import { normalizeGeneric } from './normalize-generic';
import { normalizeIssue } from './normalize-issue';
import { normalizePullRequest } from './normalize-pull-request';
import { normalizePush } from './normalize-push';
import { normalizeRef } from './normalize-ref';
import { normalizeRelease } from './normalize-release';
import { normalizeRun } from './normalize-run';
import { normalizeSecurityAlert } from './normalize-security';

const FAMILIES: Readonly<Record<string, (ctx: GithubContext) => GithubParts>> = {
  push: normalizePush,
  pull_request: normalizePullRequest,
  pull_request_review: normalizePullRequest,
  issues: normalizeIssue,
  issue_comment: normalizeIssue,
  release: normalizeRelease,
  workflow_run: (ctx) => normalizeRun({ ...ctx, event: 'workflow_run' }),
  workflow_job: (ctx) => normalizeRun({ ...ctx, event: 'workflow_job' }),
  check_run: (ctx) => normalizeRun({ ...ctx, event: 'check_run' }),
  check_suite: (ctx) => normalizeRun({ ...ctx, event: 'check_suite' }),
  deployment: normalizeDeployment,
  deployment_status: normalizeDeployment,
  status: normalizeStatus,
  create: normalizeRef,
  delete: normalizeRef,
  dependabot_alert: (ctx) => normalizeSecurityAlert({ ...ctx, event: 'dependabot_alert' }),
  code_scanning_alert: (ctx) => normalizeSecurityAlert({ ...ctx, event: 'code_scanning_alert' }),
  secret_scanning_alert: (ctx) => normalizeSecurityAlert({ ...ctx, event: 'secret_scanning_alert' }),
};

export interface GithubInput {
  readonly event: string;
  readonly payload: Record<string, unknown>;
  readonly id: string;
  readonly receivedAt: string;
}

/** Turns one GitHub delivery into Vigil's event. Total: every event name and payload shape yields an event. */
export const normalizeGithub = ({ event, payload, id, receivedAt }: GithubInput): GithubEvent => {
  const ctx: GithubContext = {
    event,
    payload,
    id,
    receivedAt,
    action: str(payload, 'action')?.slice(0, LIMITS.action),
  };
  const family = Object.hasOwn(FAMILIES, event) ? FAMILIES[event] : undefined;
  return assemble(ctx, (family ?? normalizeGeneric)(ctx));
};
