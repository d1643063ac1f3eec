/**
 * Sample payloads for the non-GitHub sources, written for Vigil in each tool's documented shape (the
 * shared corpus holds real captures; these exist so events/ works in any checkout).
 */
const now = '2026-11-23T12:00:00.000Z';

const sentryIssue = {
  action: 'created',
  installation: { uuid: '7a485448-a9e2-4c85-8a3c-4f44175783c9' },
  actor: { type: 'application', id: 'sentry', name: 'Sentry' },
  data: {
    issue: {
      id: '1170820242',
      shortId: 'CHECKOUT-API-4K',
      title: "TypeError: Cannot read properties of undefined (reading 'total')",
      culprit: 'src/cart/price.ts in computeTotal',
      level: 'error',
      status: 'unresolved',
      count: '58',
      userCount: 41,
      project: { id: '2', name: 'checkout-api', slug: 'checkout-api', platform: 'node' },
      web_url: 'https://acme.sentry.io/issues/1170820242/',
      firstSeen: now,
      lastSeen: now,
    },
  },
};

const sentryMetric = {
  action: 'critical',
  installation: { uuid: '7a485448-a9e2-4c85-8a3c-4f44175783c9' },
  actor: { type: 'application', id: 'sentry', name: 'Sentry' },
  data: {
    description_title: 'Critical: p95 latency of checkout',
    description_text: '2100ms p95 in the last 10 minutes\nThreshold: 1500ms',
    web_url: 'https://acme.sentry.io/alerts/rules/details/12/',
    metric_alert: {
      title: 'p95 latency of checkout',
      status: 20,
      alert_rule: {
        name: 'p95 latency of checkout',
        aggregate: 'p95(transaction.duration)',
        query: 'transaction:/checkout',
        time_window: 10,
        projects: ['checkout-api'],
        environment: 'production',
      },
    },
  },
};

const sentryLegacy = {
  id: '1170820242',
  project: 'checkout-api',
  project_name: 'checkout-api',
  project_slug: 'checkout-api',
  level: 'error',
  culprit: 'src/cart/price.ts in computeTotal',
  message: "Cannot read properties of undefined (reading 'total')",
  url: 'https://acme.sentry.io/issues/1170820242/',
  triggering_rules: ['Errors in checkout'],
  event: {
    title: "TypeError: Cannot read properties of undefined (reading 'total')",
    environment: 'production',
    release: 'checkout-api@2.14.0',
    tags: [
      ['environment', 'production'],
      ['release', 'checkout-api@2.14.0'],
    ],
  },
};

const hubPush = {
  callback_url:
    'https://registry.hub.docker.com/u/acme/checkout-api/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/',
  push_data: { pushed_at: 1795435200, pusher: 'acme-ci', tag: '2.14.0' },
  repository: {
    comment_count: 0,
    date_created: 1700000000,
    description: 'Checkout API',
    is_official: false,
    is_private: true,
    is_trusted: false,
    name: 'checkout-api',
    namespace: 'acme',
    owner: 'acme',
    repo_name: 'acme/checkout-api',
    repo_url: 'https://hub.docker.com/r/acme/checkout-api',
    star_count: 3,
    status: 'Active',
  },
};

const container = (Action: string, attributes: Record<string, string>, time: number) => ({
  status: Action,
  id: '4f1bb9b2a1d8e7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2',
  from: 'acme/checkout-api:2.14.0',
  Type: 'container',
  Action,
  Actor: {
    ID: '4f1bb9b2a1d8e7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2',
    Attributes: {
      image: 'acme/checkout-api:2.14.0',
      name: 'checkout-api-1',
      'com.docker.compose.project': 'shop',
      ...attributes,
    },
  },
  scope: 'local',
  time,
  timeNano: time * 1e9,
  host: 'app-host-7',
});

const alertGroup = (status: 'firing' | 'resolved') => ({
  receiver: 'vigil',
  status,
  alerts: [
    {
      status,
      labels: {
        alertname: 'HighErrorRate',
        severity: 'critical',
        service: 'checkout-api',
        instance: 'checkout-api-1:9100',
        env: 'production',
      },
      annotations: {
        summary: '5xx ratio above 5% for 10 minutes',
        runbook_url: 'https://runbooks.acme.example/checkout/high-error-rate',
      },
      startsAt: '2026-11-23T11:50:00.000Z',
      endsAt: status === 'resolved' ? '2026-11-23T12:05:00.000Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'https://prometheus.acme.example/graph?g0.expr=job%3Acheckout_5xx%3Aratio+%3E+0.05',
      fingerprint: 'c2b8f3a1d4e5f607',
    },
  ],
  groupLabels: { alertname: 'HighErrorRate', service: 'checkout-api' },
  commonLabels: {
    alertname: 'HighErrorRate',
    severity: 'critical',
    service: 'checkout-api',
    instance: 'checkout-api-1:9100',
    env: 'production',
  },
  commonAnnotations: {
    summary: '5xx ratio above 5% for 10 minutes',
    runbook_url: 'https://runbooks.acme.example/checkout/high-error-rate',
  },
  externalURL: 'https://alertmanager.acme.example',
  version: '4',
  groupKey: '{}:{alertname="HighErrorRate", service="checkout-api"}',
  truncatedAlerts: 0,
});

const grafanaFiring = {
  ...alertGroup('firing'),
  version: '1',
  orgId: 1,
  title: '[FIRING:1] HighErrorRate checkout-api',
  state: 'alerting',
  message: '**Firing**\n\nValue: B=0.083',
  externalURL: 'https://grafana.acme.example/',
  alerts: [
    {
      ...alertGroup('firing').alerts[0],
      values: { B: 0.0831, C: 1 },
      silenceURL: 'https://grafana.acme.example/alerting/silence/new?matcher=alertname%3DHighErrorRate',
      dashboardURL: 'https://grafana.acme.example/d/checkout',
      panelURL: 'https://grafana.acme.example/d/checkout?viewPanel=4',
      generatorURL: 'https://grafana.acme.example/alerting/grafana/checkout-errors/view',
    },
  ],
};

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

export interface Sample {
  readonly source: 'sentry' | 'docker' | 'alertmanager' | 'grafana' | 'gitlab';
  readonly name: string;
  readonly payload: unknown;
  readonly headers?: Record<string, string>;
  /** Legacy Sentry plugin and Docker Hub authenticate with a URL token. */
  readonly queryToken?: boolean;
}

export const SOURCE_SAMPLES: readonly Sample[] = [
  {
    source: 'sentry',
    name: 'issue-created',
    payload: sentryIssue,
    headers: { 'sentry-hook-resource': 'issue', 'request-id': 'c4a8b2d6e0f14a3b9c7d5e1f2a3b4c5d' },
  },
  {
    source: 'sentry',
    name: 'metric_alert-critical',
    payload: sentryMetric,
    headers: { 'sentry-hook-resource': 'metric_alert', 'request-id': 'd5b9c3e7f1a25b4c0d8e6f2a3b4c5d6e' },
  },
  { source: 'sentry', name: 'legacy-plugin', payload: sentryLegacy, queryToken: true },
  { source: 'docker', name: 'hub-push', payload: hubPush, queryToken: true },
  {
    source: 'docker',
    name: 'container-events',
    payload: [
      container('start', {}, 1795435100),
      container('die', { exitCode: '137' }, 1795435200),
      container('health_status: unhealthy', {}, 1795435210),
    ],
  },
  { source: 'alertmanager', name: 'firing', payload: alertGroup('firing') },
  { source: 'alertmanager', name: 'resolved', payload: alertGroup('resolved') },
  { source: 'grafana', name: 'firing', payload: grafanaFiring },
  {
    source: 'gitlab',
    name: 'pipeline-failed',
    payload: gitlabPipeline,
    headers: {
      'x-gitlab-event': 'Pipeline Hook',
      'x-gitlab-event-uuid': '1c6bd8e4-8e8b-4d0e-9d8c-0a2f1a3b4c5d',
    },
  },
  {
    source: 'gitlab',
    name: 'job-failed',
    payload: gitlabJob,
    headers: { 'x-gitlab-event': 'Job Hook', 'x-gitlab-event-uuid': '2d7ce9f5-9f9c-4e1f-8e9d-1b3a2b4c5d6e' },
  },
  {
    source: 'gitlab',
    name: 'merge_request-opened',
    payload: gitlabMergeRequest,
    headers: {
      'x-gitlab-event': 'Merge Request Hook',
      'x-gitlab-event-uuid': '3e8dfa06-a0ad-4f20-9fae-2c4b3c5d6e7f',
    },
  },
];
