import { fromApiGateway } from '../../lib/http/request';
import { routedDestinations } from '../../lib/ingest/destinations';
import { createIngest } from '../../lib/ingest/handle-webhook';
import { cloudWatchCounters, memoryCounters } from '../../lib/metrics';
import { github } from '../../lib/sources/github/adapter';
import { DEV_SECRET, githubEvent, octokitExample } from '../../tools/harness/github';
import { recordingLog } from '../helpers/log';

/** What a function writes to stdout, parsed line by line (Lambda hands each line to CloudWatch Logs). */
const stdoutOf = (run: () => void): Record<string, unknown>[] => {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

// CloudWatch Embedded Metric Format specification:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
describe('cloudWatchCounters', () => {
  const deployed = { POWERTOOLS_METRICS_DISABLED: 'false' };

  it('writes each count as an EMF record in namespace Vigil with the source as a dimension', () => {
    const records = stdoutOf(() => {
      const counters = cloudWatchCounters('vigil-test', deployed);
      counters.count('delivered', 'sentry', 2);
      counters.flush();
    });
    expect(records).toEqual([
      {
        delivered: 2,
        source: 'sentry',
        service: 'vigil-test',
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'Vigil',
              Dimensions: [['service', 'source']],
              Metrics: [{ Name: 'delivered', Unit: 'Count' }],
            },
          ],
        },
      },
    ]);
  });

  it('writes one record per source for everything one invocation counted, summing repeats', () => {
    const records = stdoutOf(() => {
      const counters = cloudWatchCounters('vigil-sender', deployed);
      counters.count('delivered', 'github');
      counters.count('delivered', 'github', 2);
      counters.count('digested', 'github', 2);
      counters.count('retried', 'sentry');
      counters.flush();
      counters.flush();
    });
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      source: 'github',
      delivered: 3,
      digested: 2,
      _aws: {
        CloudWatchMetrics: [
          {
            Metrics: [
              { Name: 'delivered', Unit: 'Count' },
              { Name: 'digested', Unit: 'Count' },
            ],
          },
        ],
      },
    });
    expect(records[1]).toMatchObject({ source: 'sentry', retried: 1 });
  });

  it('writes nothing when POWERTOOLS_METRICS_DISABLED, or else POWERTOOLS_DEV, turns metrics off', () => {
    for (const env of [
      { POWERTOOLS_METRICS_DISABLED: 'true' },
      { POWERTOOLS_DEV: '1' },
      { POWERTOOLS_DEV: 'true', POWERTOOLS_METRICS_DISABLED: 'false' },
    ]) {
      const records = stdoutOf(() => {
        const counters = cloudWatchCounters('vigil-test', env);
        counters.count('received', 'github');
        counters.flush();
      });
      expect(records).toHaveLength(env.POWERTOOLS_METRICS_DISABLED === 'false' ? 1 : 0);
    }
  });
});

describe('ingest counters', () => {
  it('counts received, enqueued, dropped and rejected per source', async () => {
    const counters = memoryCounters();
    const ingest = createIngest({
      source: github,
      secrets: async () => ({ GITHUB_WEBHOOK_SECRET: DEV_SECRET }),
      destinations: routedDestinations({
        config: {
          default: 'default',
          channels: {},
          routes: [{ name: 'no stars', match: { kind: 'github.star.*' }, drop: true }],
        },
        previewWhenUnset: true,
      }),
      enqueue: async (messages) => ({ queued: messages.length }),
      maxBodyBytes: 1e6,
      now: () => new Date(),
      log: recordingLog().log,
      counters,
    });
    await ingest(fromApiGateway(githubEvent(JSON.stringify(octokitExample('push')))));
    await ingest(fromApiGateway(githubEvent(JSON.stringify(octokitExample('star')), { event: 'star' })));
    await ingest(fromApiGateway(githubEvent('{}', { secret: 'wrong' })));
    expect(counters.snapshot()).toEqual({
      received: { github: 3 },
      enqueued: { github: 1 },
      dropped: { github: 1 },
      rejected: { github: 1 },
    });
  });
});
