import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertmanagerSamples } from '../../lib/sources/alertmanager/samples';
import { githubSamples } from '../../lib/sources/github/samples';
import { alertGroupSample } from '../../lib/sources/shared/alerting/samples';

/** The secrets the storm's stack is configured with (GITHUB_WEBHOOK_SECRET, ALERTMANAGER_TOKEN). */
export const STORM_SECRETS = { github: 'storm-github-secret', alertmanager: 'storm-alertmanager-token' };

/** At 1×: one Alertmanager group per instance, and failing CI runs spread over repositories. */
export const STORM_1X = { groups: 400, runs: 200, repos: 50 } as const;

/** One webhook of the storm, signed as its source signs it, with the text that names it in a Cliq post. */
export interface StormEvent {
  readonly source: 'alertmanager' | 'github';
  /**
   * What names this event, and only it: an alert's instance (`node001:9100`), a CI run's URL (which carries
   * its repository and run id). Fixed-width numbers keep one name from being part of another.
   */
  readonly name: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const ROOT = join(__dirname, '..', '..');
const STARTS_AT = '2026-11-23T11:50:00.000Z';

const padded = (n: number, total: number) => String(n).padStart(Math.max(3, String(total).length), '0');

/**
 * A firing group of one alert, grouped by instance (`group_by: [alertname, instance]`), as Alertmanager's
 * webhook_config sends it. The summary names the instance as alert rules usually do
 * (`{{ $labels.instance }}`); the severity is `warning`, so no event is critical enough to skip a digest.
 */
const alertGroup = (instance: string, fingerprint: string) => {
  const sample = alertGroupSample('firing');
  const labels = { alertname: 'HighLatency', severity: 'warning', job: 'node', instance };
  const annotations = {
    summary: `p99 latency above 500 ms on ${instance}`,
    runbook_url: 'https://runbooks.acme.example/node/high-latency',
  };
  return {
    ...sample,
    alerts: [
      {
        status: 'firing',
        labels,
        annotations,
        startsAt: STARTS_AT,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'https://prometheus.acme.example/graph?g0.expr=node%3Alatency_p99+%3E+0.5',
        fingerprint,
      },
    ],
    groupLabels: { alertname: 'HighLatency', instance },
    commonLabels: labels,
    commonAnnotations: annotations,
    groupKey: `{}:{alertname="HighLatency", instance="${instance}"}`,
  };
};

/** The repository's workflow_run failure sample (events/github), as GitHub sends the JSON body. */
const workflowRunTemplate = (): Record<string, unknown> => {
  const sample = JSON.parse(
    readFileSync(join(ROOT, 'events', 'github', 'workflow_run-failure.json'), 'utf8'),
  );
  return JSON.parse(sample.body as string) as Record<string, unknown>;
};

/** Failing run `attempt` (0-based, in time order) of workflow CI on main in `repo`: its own id, number and commit. */
const failedRun = (template: Record<string, unknown>, repo: string, runId: number, attempt: number) => {
  const run = template.workflow_run as Record<string, unknown>;
  const repository = template.repository as Record<string, unknown>;
  const time = (ms: number) => new Date(ms).toISOString().replace('.000', '');
  const endedAt = Date.parse(STARTS_AT) + attempt * 600_000;
  return {
    ...template,
    action: 'completed',
    repository: {
      ...repository,
      name: repo.split('/')[1],
      full_name: repo,
      html_url: `https://github.com/${repo}`,
    },
    workflow: { ...(template.workflow as object), name: 'CI' },
    workflow_run: {
      ...run,
      id: runId,
      name: 'CI',
      run_number: 100 + attempt,
      head_branch: 'main',
      event: 'push',
      head_sha: createHash('sha1').update(String(runId)).digest('hex'),
      status: 'completed',
      conclusion: 'failure',
      html_url: `https://github.com/${repo}/actions/runs/${runId}`,
      check_suite_id: runId + 1_000_000_000,
      created_at: time(endedAt - 300_000),
      run_started_at: time(endedAt - 300_000),
      updated_at: time(endedAt),
    },
  };
};

/**
 * The storm at `scale`× (800 groups, 400 runs over 100 repositories at 2×), in the order it is sent: two
 * alert groups, then a CI run, over and over, each repository's runs far apart, in time order.
 */
export const stormEvents = (scale = 1): StormEvent[] => {
  const groups = STORM_1X.groups * scale;
  const runs = STORM_1X.runs * scale;
  const repos = STORM_1X.repos * scale;
  const template = workflowRunTemplate();
  const alerts = Array.from({ length: groups }, (_, i): StormEvent => {
    const instance = `node${padded(i + 1, groups)}:9100`;
    const body = JSON.stringify(alertGroup(instance, (0xf000_0000 + i).toString(16)));
    return {
      source: 'alertmanager',
      name: instance,
      path: '/webhooks/alertmanager',
      headers: {
        'content-type': 'application/json',
        'x-request-id': `storm-alert-${i + 1}`,
        ...alertmanagerSamples.credentials(body, STORM_SECRETS.alertmanager).headers,
      },
      body,
    };
  });
  const ci = Array.from({ length: runs }, (_, j): StormEvent => {
    const repo = `acme/svc-${padded((j % repos) + 1, repos)}`;
    const runId = 7_000_000_000 + j;
    const body = JSON.stringify(failedRun(template, repo, runId, Math.floor(j / repos)));
    return {
      source: 'github',
      name: `https://github.com/${repo}/actions/runs/${runId}`,
      path: '/webhooks/github',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'workflow_run',
        'x-github-delivery': `storm-run-${j + 1}`,
        ...githubSamples.credentials(body, STORM_SECRETS.github).headers,
      },
      body,
    };
  });
  // STORM_1X keeps two groups per run at every scale
  return ci.flatMap((run, k) => [...alerts.slice(2 * k, 2 * k + 2), run]);
};
