import type { SourceSamples } from '../source';

/** Payloads written for Vigil in GitLab's documented webhook shapes. */

const gitlabProject = {
  id: 42,
  name: 'checkout-api',
  path_with_namespace: 'acme/checkout-api',
  web_url: 'https://gitlab.acme.example/acme/checkout-api',
  default_branch: 'main',
};
const gitlabUser = { id: 7, name: 'Ada Lovelace', username: 'ada', email: '[REDACTED]' };

const gitlabPipeline = {
  object_kind: 'pipeline',
  object_attributes: {
    id: 9012,
    iid: 311,
    name: 'Build and deploy',
    ref: 'main',
    tag: false,
    sha: '95790bf891e76fee5e1747ab589903a6a1f80f22',
    status: 'failed',
    source: 'push',
    duration: 412,
    url: 'https://gitlab.acme.example/acme/checkout-api/-/pipelines/9012',
    created_at: '2026-11-23 11:50:00 UTC',
    finished_at: '2026-11-23 11:56:52 UTC',
  },
  user: gitlabUser,
  project: gitlabProject,
  commit: {
    id: '95790bf891e76fee5e1747ab589903a6a1f80f22',
    title: 'Round totals before tax',
    message: 'Round totals before tax\n',
    url: 'https://gitlab.acme.example/acme/checkout-api/-/commit/95790bf8',
  },
  builds: [
    { id: 5501, stage: 'test', name: 'unit', status: 'success', allow_failure: false },
    {
      id: 5502,
      stage: 'test',
      name: 'integration',
      status: 'failed',
      allow_failure: false,
      failure_reason: 'script_failure',
    },
    { id: 5503, stage: 'deploy', name: 'deploy-production', status: 'skipped', allow_failure: false },
  ],
};

const gitlabJob = {
  object_kind: 'build',
  ref: 'main',
  tag: false,
  sha: '95790bf891e76fee5e1747ab589903a6a1f80f22',
  build_id: 5502,
  build_name: 'integration',
  build_stage: 'test',
  build_status: 'failed',
  build_duration: 181.4,
  build_allow_failure: false,
  build_failure_reason: 'script_failure',
  pipeline_id: 9012,
  project_id: 42,
  project_name: 'acme / checkout-api',
  user: gitlabUser,
  repository: { name: 'checkout-api', homepage: 'https://gitlab.acme.example/acme/checkout-api' },
  project: gitlabProject,
};

const gitlabMergeRequest = {
  object_kind: 'merge_request',
  event_type: 'merge_request',
  user: gitlabUser,
  project: gitlabProject,
  object_attributes: {
    iid: 87,
    title: 'Round totals before tax',
    state: 'opened',
    action: 'open',
    source_branch: 'fix/rounding',
    target_branch: 'main',
    url: 'https://gitlab.acme.example/acme/checkout-api/-/merge_requests/87',
    description: 'Totals were rounded after tax, which disagreed with invoices by a cent.',
    draft: false,
  },
  labels: [{ id: 1, title: 'bug' }],
};

export const gitlabSamples: SourceSamples = {
  credentials: (_body, secret = 'vigil-development-token') => ({
    headers: { 'x-gitlab-token': secret },
    query: {},
  }),
  defaultHeaders: { 'x-gitlab-event': 'Push Hook' },
  payloads: [
    {
      name: 'pipeline-failed',
      payload: gitlabPipeline,
      headers: {
        'x-gitlab-event': 'Pipeline Hook',
        'x-gitlab-event-uuid': '1c6bd8e4-8e8b-4d0e-9d8c-0a2f1a3b4c5d',
      },
    },
    {
      name: 'job-failed',
      payload: gitlabJob,
      headers: {
        'x-gitlab-event': 'Job Hook',
        'x-gitlab-event-uuid': '2d7ce9f5-9f9c-4e1f-8e9d-1b3a2b4c5d6e',
      },
    },
    {
      name: 'merge_request-opened',
      payload: gitlabMergeRequest,
      headers: {
        'x-gitlab-event': 'Merge Request Hook',
        'x-gitlab-event-uuid': '3e8dfa06-a0ad-4f20-9fae-2c4b3c5d6e7f',
      },
    },
  ],
};
