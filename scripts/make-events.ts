/**
 * Writes the `events/` samples used with `serverless invoke local --path events/...`: API Gateway events whose
 * bodies are real GitHub example payloads (@octokit/webhooks-examples), signed with the development secret,
 * and an SQS batch for the sender built by the real normalizer. Run after changing the model: `npm run events`.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import examples from '@octokit/webhooks-examples';
import { toOutbound } from '../lib/queue/message';
import { normalizeGithub } from '../lib/sources/github/normalize';
import { SOURCES, sourceList } from '../lib/sources/registry';

type Payload = Record<string, unknown> & { action?: string };

const example = (name: string, pick: (payload: Payload) => boolean = () => true): Payload => {
  const found = examples
    .find((entry) => entry.name === name)
    ?.examples.find((payload) => pick(payload as Payload));
  if (found === undefined) throw new Error(`no ${name} example`);
  return structuredClone(found) as Payload;
};

const failedRun = example('workflow_run', (p) => p.action === 'completed');
Object.assign(failedRun.workflow_run as object, { conclusion: 'failure' });

const samples: Record<string, { event: string; payload: Payload }> = {
  push: { event: 'push', payload: example('push', (p) => p.ref === 'refs/heads/master') },
  'pull_request-opened': {
    event: 'pull_request',
    payload: example('pull_request', (p) => p.action === 'opened'),
  },
  'workflow_run-failure': { event: 'workflow_run', payload: failedRun },
  'workflow_job-failure': {
    event: 'workflow_job',
    payload: example(
      'workflow_job',
      (p) => (p.workflow_job as { conclusion?: string }).conclusion === 'failure',
    ),
  },
  'deployment_status-success': {
    event: 'deployment_status',
    payload: example(
      'deployment_status',
      (p) => (p.deployment_status as { state: string }).state === 'success',
    ),
  },
  'dependabot_alert-created': {
    event: 'dependabot_alert',
    payload: example('dependabot_alert', (p) => p.action === 'created'),
  },
  ping: { event: 'ping', payload: example('ping') },
};

const apiGatewayEvent = (name: string, event: string, body: string) => ({
  version: '2.0',
  routeKey: 'POST /webhooks/github',
  rawPath: '/webhooks/github',
  rawQueryString: '',
  headers: {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/sample',
    'x-github-event': event,
    'x-github-delivery': `sample-${name}`,
    ...SOURCES.github.samples.credentials(body).headers,
  },
  requestContext: {
    accountId: 'local',
    apiId: 'local',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    http: {
      method: 'POST',
      path: '/webhooks/github',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'GitHub-Hookshot/sample',
    },
    requestId: `sample-${name}`,
    routeKey: 'POST /webhooks/github',
    stage: '$default',
    time: '23/Nov/2026:12:00:00 +0000',
    timeEpoch: 1795435200000,
  },
  body,
  isBase64Encoded: false,
});

// `npm run events` rewrites events/; a folder given as the argument receives them instead (the test compares)
const root = process.argv[2] ?? join(__dirname, '..', 'events');
for (const folder of ['github', 'sender']) mkdirSync(join(root, folder), { recursive: true });
for (const [name, { event, payload }] of Object.entries(samples)) {
  writeFileSync(
    join(root, 'github', `${name}.json`),
    `${JSON.stringify(apiGatewayEvent(name, event, JSON.stringify(payload)), null, 2)}\n`,
  );
}

let written = 0;
for (const source of sourceList()) {
  for (const sample of source.samples.payloads) {
    const body = JSON.stringify(sample.payload);
    const auth =
      sample.queryToken && source.samples.queryCredentials !== undefined
        ? source.samples.queryCredentials()
        : source.samples.credentials(body);
    const event = apiGatewayEvent(sample.name, 'unused', body);
    const route = source.route;
    const file = {
      ...event,
      routeKey: `POST ${route}`,
      rawPath: route,
      rawQueryString: new URLSearchParams(auth.query).toString(),
      ...(sample.queryToken ? { queryStringParameters: auth.query } : {}),
      headers: {
        'content-type': 'application/json',
        'user-agent': `${source.name}-sample`,
        ...sample.headers,
        ...auth.headers,
      },
      requestContext: {
        ...event.requestContext,
        routeKey: `POST ${route}`,
        http: { ...event.requestContext.http, path: route, userAgent: `${source.name}-sample` },
      },
    };
    mkdirSync(join(root, source.name), { recursive: true });
    writeFileSync(join(root, source.name, `${sample.name}.json`), `${JSON.stringify(file, null, 2)}\n`);
    written += 1;
  }
}

const records = (['push', 'workflow_run-failure'] as const).map((name, index) => {
  const sample = samples[name];
  if (sample === undefined) throw new Error(name);
  const normalized = normalizeGithub({
    event: sample.event,
    payload: sample.payload,
    id: `sample-${name}`,
    receivedAt: '2026-11-23T12:00:00.000Z',
  });
  const outbound = toOutbound(normalized, { channel: 'default', owner: 'preview' });
  return {
    messageId: `00000000-0000-4000-8000-00000000000${index + 1}`,
    receiptHandle: `sample-receipt-${index + 1}`,
    body: outbound.body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1795435200000',
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: '1795435200000',
      SequenceNumber: `1000000000000000000${index + 1}`,
      MessageGroupId: outbound.groupId,
      MessageDeduplicationId: outbound.deduplicationId,
    },
    messageAttributes: Object.fromEntries(
      Object.entries(outbound.attributes).map(([k, v]) => [k, { dataType: 'String', stringValue: v }]),
    ),
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:vigil-events.fifo',
    awsRegion: 'us-east-1',
  };
});
writeFileSync(join(root, 'sender', 'sqs-batch.json'), `${JSON.stringify({ Records: records }, null, 2)}\n`);
process.stdout.write(
  `wrote ${Object.keys(samples).length} GitHub samples, ${written} samples of other sources and 1 sender batch to events/\n`,
);
