import * as v from 'valibot';
import type { Outcome, Severity } from '../../lib/event/fields';
import { VigilEvent } from '../../lib/event/model';

/** Valid Vigil events of the kinds conversations follow, built small (each is checked against the schema). */

const base = (
  id: string,
  outcome: Outcome,
  severity: Severity = outcome === 'failure' ? 'error' : 'info',
) => ({
  v: 1 as const,
  id,
  occurredAt: '2026-11-23T12:00:00.000Z',
  receivedAt: '2026-11-23T12:00:00.000Z',
  severity,
  outcome,
  labels: [],
});

const valid = (event: unknown): VigilEvent => v.parse(VigilEvent, event);

export const pullRequest = (id: string, number: number, action: string, repo = 'acme/app'): VigilEvent =>
  valid({
    ...base(id, action === 'merged' ? 'success' : 'none'),
    source: 'github',
    kind: `github.pull_request.${action}`,
    subject: { name: repo },
    title: `alice ${action} #${number}: Faster builds`,
    url: `https://github.com/${repo}/pull/${number}`,
    facts: { type: 'pull_request', action, number, state: 'open', merged: action === 'merged', draft: false },
  });

export interface RunIds {
  readonly runId?: number;
  readonly checkSuiteId?: number;
  readonly headSha?: string;
}

export const workflowRun = (
  id: string,
  conclusion: 'success' | 'failure' | 'cancelled',
  options: RunIds & { workflow?: string; branch?: string; repo?: string } = {},
): VigilEvent => {
  const workflow = options.workflow ?? 'CI';
  const branch = options.branch ?? 'main';
  const repo = options.repo ?? 'acme/app';
  return valid({
    ...base(id, conclusion),
    source: 'github',
    kind: 'github.workflow_run.completed',
    subject: { name: repo },
    title: `Workflow ${workflow} ${conclusion === 'success' ? 'succeeded' : conclusion === 'failure' ? 'failed' : 'was cancelled'} on ${branch}`,
    url: `https://github.com/${repo}/actions/runs/${options.runId ?? 1}`,
    branch,
    facts: {
      type: 'run',
      event: 'workflow_run',
      action: 'completed',
      name: workflow,
      workflowName: workflow,
      status: 'completed',
      conclusion,
      failedSteps: [],
      ...(options.runId === undefined ? {} : { runId: options.runId }),
      ...(options.checkSuiteId === undefined ? {} : { checkSuiteId: options.checkSuiteId }),
      headSha: options.headSha ?? 'abc123',
    },
  });
};

export const runPart = (
  id: string,
  event: 'workflow_job' | 'check_run' | 'check_suite',
  conclusion: 'success' | 'failure',
  options: RunIds & { name?: string; workflow?: string; branch?: string; repo?: string } = {},
): VigilEvent => {
  const repo = options.repo ?? 'acme/app';
  const name = options.name ?? 'build';
  return valid({
    ...base(id, conclusion),
    source: 'github',
    kind: `github.${event}.completed`,
    subject: { name: repo },
    title: `Job ${name} ${conclusion === 'success' ? 'succeeded' : 'failed'} on ${options.branch ?? 'main'}`,
    url: `https://github.com/${repo}/actions/runs/${options.runId ?? 1}/job/7`,
    branch: options.branch ?? 'main',
    facts: {
      type: 'run',
      event,
      action: 'completed',
      name,
      status: 'completed',
      conclusion,
      failedSteps: conclusion === 'failure' ? ['Run tests'] : [],
      ...(options.workflow === undefined ? {} : { workflowName: options.workflow }),
      ...(options.runId === undefined ? {} : { runId: options.runId }),
      ...(options.checkSuiteId === undefined ? {} : { checkSuiteId: options.checkSuiteId }),
      headSha: options.headSha ?? 'abc123',
    },
  });
};

export const alertGroup = (
  id: string,
  status: 'firing' | 'resolved',
  firing: number,
  resolved: number,
  groupKey = '{}:{alertname="HighLatency"}',
): VigilEvent =>
  valid({
    ...base(id, status === 'resolved' ? 'success' : 'failure', status === 'resolved' ? 'info' : 'critical'),
    source: 'alertmanager',
    kind: `alertmanager.alert.${status}`,
    subject: { name: 'api' },
    title: `[${status.toUpperCase()}] HighLatency`,
    url: 'https://prometheus.example.com/graph',
    facts: {
      type: 'alert_group',
      status,
      receiver: 'cliq',
      groupKey,
      alertCount: firing + resolved,
      firingCount: firing,
      resolvedCount: resolved,
      truncatedAlerts: 0,
      alerts: [],
      groupLabels: ['alertname=HighLatency'],
    },
  });

/** An alert group's notification naming its alerts: each alert's fingerprint and episode, resolved once it has an end. */
export const alertNotice = (
  id: string,
  status: 'firing' | 'resolved',
  alerts: readonly { fingerprint?: string; startsAt: string; endsAt?: string }[],
): VigilEvent => {
  const event = alertGroup(
    id,
    status,
    alerts.filter((alert) => alert.endsAt === undefined).length,
    alerts.filter((alert) => alert.endsAt !== undefined).length,
  );
  return valid({
    ...event,
    facts: {
      ...event.facts,
      alerts: alerts.map((alert) => ({
        status: alert.endsAt === undefined ? 'firing' : 'resolved',
        name: 'HighLatency',
        instance: 'api-1',
        ...alert,
      })),
    },
  });
};

export const sentryIssue = (id: string, action: 'created' | 'resolved', issueId = '42'): VigilEvent =>
  valid({
    ...base(id, action === 'resolved' ? 'success' : 'failure'),
    source: 'sentry',
    kind: `sentry.issue.${action}`,
    subject: { name: 'backend' },
    title: `${action}: TypeError: x is undefined`,
    url: `https://sentry.io/organizations/acme/issues/${issueId}/`,
    facts: { type: 'sentry', resource: 'issue', action, project: 'backend', issueId, shortId: 'BACKEND-1' },
  });

export const push = (id: string): VigilEvent =>
  valid({
    ...base(id, 'none'),
    source: 'github',
    kind: 'github.push',
    subject: { name: 'acme/app' },
    title: 'alice pushed 1 commit to main',
    facts: {
      type: 'push',
      ref: 'main',
      refType: 'branch',
      created: false,
      deleted: false,
      forced: false,
      before: 'a',
      after: 'b',
      commitCount: 1,
      commits: [],
    },
  });
