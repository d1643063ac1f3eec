import { createServer } from 'node:http';
import type { SQSRecord } from 'aws-lambda';
import { type DeliveryResult, postToCliq } from '../../lib/cliq/deliver';
import { Pacer } from '../../lib/delivery/pacer';
import type { SenderDeps } from '../../lib/sender/deps';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { closeServer, listenOnLoopback } from '../../tools/harness/loopback';
import { queuedPush } from '../helpers/github-push';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

const POSTS_PER_MINUTE = 20; // one pacing interval: 60 / 20 = 3 s
const PACING_SECONDS = 3;

const record = (id: string): SQSRecord => sqsRecord(queuedPush(id), `m-${id}`);

/** A sender with a fake clock, recording how far each failed record is moved out. */
const sender = (
  deliver: SenderDeps['deliver'],
  url = 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=T',
) => {
  let now = 0;
  const pacer = new Pacer(
    POSTS_PER_MINUTE,
    () => now,
    async (ms) => {
      now += ms;
    },
  );
  const moved: number[] = [];
  const handler = createSenderHandler({
    secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: url }),
    previewWhenUnset: false,
    format: formatEvent,
    deliver,
    preview: () => undefined,
    deadLetter: async () => undefined,
    pacer,
    retry: { baseSeconds: 10, maxSeconds: 900, lockSeconds: 600 },
    changeVisibility: async (_record, seconds) => void moved.push(seconds),
    log: recordingLog().log,
  });
  return { handler, moved, pacer };
};

const throttled = (retryAfterSeconds: number): DeliveryResult => ({
  ok: false,
  transient: true,
  throttled: true,
  status: 429,
  message: 'Too many requests',
  retryAfterSeconds,
});

// Amazon SQS API Reference, ChangeMessageVisibility: VisibilityTimeout ranges from 0 to 43,200 seconds
// (12 hours), and a message's total visibility since its receive cannot pass 12 hours; a larger value is
// refused, so the record would come back at the queue's default instead.
describe('Retry-After from Cliq', () => {
  it('holds the owner at least one pacing interval when Cliq says to retry at once', async () => {
    const { handler, moved } = sender(async () => throttled(0));
    const response = await handler({ Records: [record('e1')] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-e1' }]);
    expect(moved).toEqual([PACING_SECONDS]);
  });

  it('moves a record out no further than SQS allows (12 hours from its receive, less the time the batch ran), when Cliq asks for a day', async () => {
    const { handler, moved, pacer } = sender(async () => throttled(86_400));
    await handler({ Records: [record('e1')] });
    expect(moved).toEqual([43_200 - 300]);
    expect(pacer.lockedFor('cliq-a')).toBeLessThanOrEqual(43_200 - 300);
  });

  it('treats a Retry-After date already past, read over HTTP, as one pacing interval', async () => {
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(429, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' });
      response.end();
    });
    try {
      const base = await listenOnLoopback(server);
      const { handler, moved } = sender(
        (url, message) => postToCliq(fetch, url, message, 2000),
        `${base}/api/v2/channelsbyname/ops/message?zapikey=T`,
      );
      await handler({ Records: [record('e1')] });
      expect(moved).toEqual([PACING_SECONDS]);
    } finally {
      await closeServer(server);
    }
  });
});
