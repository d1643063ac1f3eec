import type { FieldKind } from '../shared/shape';

/**
 * The payload fields each event's normalizer cannot do without, which GitHub's "Webhook events and payloads"
 * reference lists for every delivery of that event. Any other event name with an object body stays legal: it
 * gets the generic card.
 */
export const GITHUB_NEEDS: Readonly<Record<string, Readonly<Record<string, FieldKind>>>> = {
  push: { ref: 'string' },
  pull_request: { pull_request: 'object' },
  pull_request_review: { pull_request: 'object' },
  issues: { issue: 'object' },
  issue_comment: { issue: 'object', comment: 'object' },
  release: { release: 'object' },
  workflow_run: { workflow_run: 'object' },
  workflow_job: { workflow_job: 'object' },
  check_run: { check_run: 'object' },
  check_suite: { check_suite: 'object' },
  deployment: { deployment: 'object' },
  deployment_status: { deployment_status: 'object' },
  status: { sha: 'string', state: 'string' },
  create: { ref: 'string', ref_type: 'string' },
  delete: { ref: 'string', ref_type: 'string' },
  dependabot_alert: { alert: 'object' },
  code_scanning_alert: { alert: 'object' },
  secret_scanning_alert: { alert: 'object' },
};
