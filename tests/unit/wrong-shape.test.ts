import { octokitExample } from '../../tools/harness/github';
import { ingestFor } from '../helpers/ingest';
import { sourceEvent } from '../helpers/sources';

type Case = [
  name: string,
  source: Parameters<typeof ingestFor>[0] | 'sentry-legacy',
  body: string,
  headers: Record<string, string>,
  needs: RegExp,
];

const githubPush = JSON.stringify(octokitExample('push', () => true));

/**
 * Valid JSON that is not the source's notification: authenticated, so only its shape can refuse it. Each
 * answer is a 400 naming what the notification needs, and nothing is queued, so no card of empty values.
 */
const CASES: Case[] = [
  [
    '{} to Alertmanager',
    'alertmanager',
    '{}',
    {},
    /"alerts" as an array and "status" as a string; "alerts" \(an array\) is missing/,
  ],
  [
    'a GitHub push to Alertmanager',
    'alertmanager',
    githubPush,
    {},
    /not an Alertmanager notification: it needs "alerts" as an array and "status"/,
  ],
  [
    'alerts that are not an array to Alertmanager',
    'alertmanager',
    '{"status":"firing","alerts":{}}',
    {},
    /"alerts" \(an array\) is an object/,
  ],
  [
    '{} to Grafana',
    'grafana',
    '{}',
    {},
    /not a Grafana alert notification: it needs "alerts" as an array and "status"/,
  ],
  [
    'a Grafana legacy alert with a numeric state',
    'grafana',
    '{"state":3}',
    {},
    /"state" \(a string\) is a number/,
  ],
  [
    '{} to Sentry as an issue',
    'sentry',
    '{}',
    { 'sentry-hook-resource': 'issue' },
    /not a Sentry issue webhook: it needs "data.issue" as an object/,
  ],
  [
    '{} to Sentry as a metric alert',
    'sentry',
    '{"data":{}}',
    { 'sentry-hook-resource': 'metric_alert' },
    /"data.metric_alert" \(an object\) is missing/,
  ],
  [
    "{} to Sentry's legacy plugin URL",
    'sentry-legacy',
    '{}',
    {},
    /not a Sentry legacy webhook plugin alert: it needs "event" as an object/,
  ],
  [
    '{} to GitLab',
    'gitlab',
    '{}',
    { 'x-gitlab-event': 'Push Hook' },
    /not a GitLab webhook payload: it needs "object_kind" as a string/,
  ],
  [
    '{} to Docker',
    'docker',
    '{}',
    {},
    /neither a Docker Hub webhook \(it needs "push_data" and "repository"\) nor a Docker Engine event/,
  ],
  [
    'a batch with one stranger to Docker',
    'docker',
    '[{"Type":"container","Action":"die"},{"x":1}]',
    {},
    /item 1 is neither a Docker Hub webhook/,
  ],
  [
    '{} to GitHub as a push',
    'github',
    '{}',
    { 'x-github-event': 'push' },
    /not a GitHub push payload: it needs "ref" as a string/,
  ],
  [
    'an issue payload to GitHub as a workflow_run',
    'github',
    '{"issue":{}}',
    { 'x-github-event': 'workflow_run' },
    /"workflow_run" \(an object\) is missing/,
  ],
];

describe('a webhook of valid JSON but the wrong shape', () => {
  it.each(CASES)(
    'answers %s with a 400 naming what is needed, queueing nothing',
    async (_name, source, body, headers, needs) => {
      const { call, queued } = ingestFor(source === 'sentry-legacy' ? 'sentry' : source);
      const response = await call(sourceEvent(source, body, { headers }));
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(needs);
      expect(queued).toHaveLength(0);
    },
  );

  it('still takes any GitHub event name Vigil has no card family for, with any object body', async () => {
    const { call, queued } = ingestFor('github');
    const response = await call(sourceEvent('github', '{}', { headers: { 'x-github-event': 'star' } }));
    expect(response.status).toBe(202);
    expect(queued).toHaveLength(1);
  });

  it('still takes a Sentry resource it has no card for without asking for fields', async () => {
    const { call } = ingestFor('sentry');
    const response = await call(
      sourceEvent('sentry', '{"action":"x"}', { headers: { 'sentry-hook-resource': 'seer' } }),
    );
    expect(response.status).not.toBe(400);
  });
});
