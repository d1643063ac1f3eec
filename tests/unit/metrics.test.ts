import { cloudWatchCounters } from '../../lib/metrics';

describe('cloudWatchCounters', () => {
  it('writes each count as an EMF record in namespace Vigil with the source as a dimension', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      cloudWatchCounters('vigil-test').count('delivered', 'sentry', 2);
    } finally {
      spy.mockRestore();
    }
    const record = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => '_aws' in entry);
    expect(record).toMatchObject({
      delivered: 2,
      source: 'sentry',
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Vigil',
            Dimensions: [expect.arrayContaining(['source'])],
            Metrics: [{ Name: 'delivered', Unit: 'Count' }],
          },
        ],
      },
    });
  });
});

import { fromApiGateway } from '../../lib/http/request';
import { routedDestinations } from '../../lib/ingest/destinations';
import { createIngest } from '../../lib/ingest/handle-webhook';
import { memoryCounters } from '../../lib/metrics';
import { github } from '../../lib/sources/github/adapter';
import { DEV_SECRET, githubEvent, octokitExample } from '../../tools/harness/github';
import { recordingLog } from '../helpers/log';

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
