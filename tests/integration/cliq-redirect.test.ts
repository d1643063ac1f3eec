import { createServer, type Server } from 'node:http';
import { postToCliq } from '../../lib/cliq/deliver';
import type { DeadLetterReason } from '../../lib/queue/dead-letter';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { closeServer, listenOnLoopback } from '../../tools/harness/loopback';
import { queuedPush } from '../helpers/github-push';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

const CHANNEL_PATH = '/api/v2/channelsbyname/ops/message';
const MOVED_PATH = '/api/v2/channelsbyname/ops-moved/message';

/**
 * A Cliq stand-in whose channel URL answers with a redirect; the redirect's target would accept anything
 * (a GET or a re-POST), so a client that follows it would wrongly see success.
 */
const redirectingCliq = async (status: number) => {
  const requests: { method: string; path: string }[] = [];
  let base = '';
  const server: Server = createServer((request, response) => {
    request.resume();
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    requests.push({ method: request.method ?? '', path });
    if (path === CHANNEL_PATH) {
      // the target carries the token in its query, as a Cliq URL does
      response.writeHead(status, { location: `${base}${MOVED_PATH}?zapikey=1001.SECRETTOKEN` });
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"message_id":"1"}');
  });
  base = await listenOnLoopback(server);
  return { server, requests, url: `${base}${CHANNEL_PATH}?zapikey=1001.SECRETTOKEN` };
};

// Zoho Cliq REST API v2, "Post message in a channel": a post is accepted with 204 (200 with sync_message);
// nothing else means posted. Fetch standard, "HTTP-redirect fetch": a 301/302 to a POST is followed as a
// body-less GET, a 307/308 re-sends the POST, so a followed redirect can look like success.
describe('a redirect from Cliq', () => {
  let cliq: Awaited<ReturnType<typeof redirectingCliq>> | undefined;
  afterEach(async () => {
    await closeServer(cliq?.server);
    cliq = undefined;
  });

  it.each([301, 302, 307, 308])(
    'is not followed, and HTTP %i is a permanent failure that says the channel URL looks wrong',
    async (status) => {
      cliq = await redirectingCliq(status);
      const result = await postToCliq(fetch, cliq.url, { text: 'hello' }, 2000);
      expect(cliq.requests).toEqual([{ method: 'POST', path: CHANNEL_PATH }]);
      expect(result).toMatchObject({ ok: false, transient: false, throttled: false, status });
      expect(result.ok ? '' : result.message).toMatch(/redirect.*channel URL looks outdated or wrong/);
      expect(result.ok ? '' : result.message).toContain(MOVED_PATH);
      expect(JSON.stringify(result)).not.toContain('SECRETTOKEN');
    },
  );

  it('dead-letters the message with the reason, without the token, instead of counting it delivered', async () => {
    cliq = await redirectingCliq(301);
    const dead: DeadLetterReason[] = [];
    const recorder = recordingLog();
    const handler = createSenderHandler({
      secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: cliq?.url ?? '' }),
      previewWhenUnset: false,
      format: formatEvent,
      deliver: (url, message) => postToCliq(fetch, url, message, 2000),
      preview: () => undefined,
      deadLetter: async (_record, why) => void dead.push(why),
      log: recorder.log,
    });
    const response = await handler({ Records: [sqsRecord(queuedPush('e1'), 'm1')] });
    expect(response.batchItemFailures).toEqual([]);
    expect(dead).toEqual([
      expect.objectContaining({
        reason: 'cliq_rejected',
        status: 301,
        detail: expect.stringMatching(/channel URL looks outdated or wrong/),
      }),
    ]);
    expect(JSON.stringify(dead)).not.toContain('SECRETTOKEN');
    expect(recorder.text()).not.toContain('SECRETTOKEN');
  });
});
