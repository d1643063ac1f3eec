import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { cloudWatchCounters } from '../../lib/metrics';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { DEV_SECRET, githubEvent, octokitExample } from '../../tools/harness/github';
import { ingestFor } from '../helpers/ingest';

const CLIQ_URL = 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=1001.SECRETTOKEN.abc';

/** The GitHub ingest with its secret and a real-looking channel URL (whose token must never leak). */
const setup = (overrides: Parameters<typeof ingestFor>[1] = {}) =>
  ingestFor('github', {
    secrets: { GITHUB_WEBHOOK_SECRET: DEV_SECRET, ZOHO_CLIQ_WEBHOOK_URL: CLIQ_URL },
    ...overrides,
  });

const push = JSON.stringify(octokitExample('push', (p) => p.ref === 'refs/heads/master'));

describe('GitHub ingest', () => {
  it('queues a signed push as one message for the default channel and answers 202', async () => {
    const { call, queued } = setup();
    const response = await call(githubEvent(push));
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      ok: true,
      queued: 1,
      events: [{ id: 'delivery-1', kind: 'github.push' }],
    });
    expect(queued).toHaveLength(1);
    const message = parseQueuedMessage(queued[0]?.body ?? '');
    expect(message.ok && message.value.channel).toBe('default');
  });

  it('logs an accepted delivery in one INFO line carrying its route decision and what was queued', async () => {
    const { call, recorder } = setup();
    await call(githubEvent(push, { delivery: 'one-line' }));
    expect(recorder.lines.map((line) => `${line.level} ${line.message}`)).toEqual(['info routed']);
    expect(recorder.lines[0]?.extra[0]).toEqual({
      source: 'github',
      deliveryId: 'one-line',
      eventId: 'one-line',
      kind: 'github.push',
      matched: [],
      decidedBy: 'default',
      channels: ['default'],
      dropped: false,
      queued: 1,
    });
  });

  it('writes one metrics record per delivery, counting received and enqueued together', async () => {
    const written: string[] = [];
    const counters = cloudWatchCounters('vigil-github', { POWERTOOLS_METRICS_DISABLED: 'false' }, (line) =>
      written.push(line),
    );
    const { call } = setup({ counters });
    await call(githubEvent(push));
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0] ?? '')).toMatchObject({ source: 'github', received: 1, enqueued: 1 });
    await call(githubEvent(push, { secret: 'wrong' }));
    expect(written).toHaveLength(2);
    expect(JSON.parse(written[1] ?? '')).toMatchObject({ source: 'github', received: 1, rejected: 1 });
  });

  it('groups by a hash of the Cliq token, never the token itself', async () => {
    const { call, queued } = setup();
    await call(githubEvent(push));
    const [message] = queued;
    expect(message?.groupId).toMatch(/^cliq-[0-9a-f]{32}$/);
    expect(JSON.stringify(message)).not.toContain('SECRETTOKEN');
  });

  it('derives the deduplication id from the signed body, so a redelivery is dropped by SQS', async () => {
    const { call, queued } = setup();
    await call(githubEvent(push, { delivery: 'same' }));
    await call(githubEvent(push, { delivery: 'same' }));
    const other = JSON.stringify({ ...JSON.parse(push), after: 'f'.repeat(40) });
    await call(githubEvent(other, { delivery: 'other' }));
    expect(queued[0]?.deduplicationId).toBe(queued[1]?.deduplicationId);
    expect(queued[2]?.deduplicationId).not.toBe(queued[0]?.deduplicationId);
  });

  it('gives a signed body replayed under a new X-GitHub-Delivery the same identity, and still logs its id', async () => {
    const { call, queued, recorder } = setup();
    await call(githubEvent(push, { delivery: 'captured' }));
    const replay = await call(githubEvent(push, { delivery: 'replayed' }));
    expect(replay.body).toMatchObject({ events: [{ id: 'replayed' }] });
    expect(queued[1]?.deduplicationId).toBe(queued[0]?.deduplicationId);
    const [first, second] = queued.map((message) => {
      const parsed = parseQueuedMessage(message.body);
      return parsed.ok ? parsed.value.event : undefined;
    });
    expect(first?.identity).toMatch(/^github:sha256:[0-9a-f]{64}$/);
    expect(second?.identity).toBe(first?.identity);
    expect(second?.id).toBe('replayed');
    expect(recorder.text()).toContain('"deliveryId":"replayed"');
  });

  it('never gives two different signed bodies one identity', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        async (a, b) => {
          fc.pre(a !== b);
          const { call, queued } = setup();
          const bodyOf = (ref: string) => JSON.stringify({ ...JSON.parse(push), before: ref });
          await call(githubEvent(bodyOf(a), { delivery: 'same' }));
          await call(githubEvent(bodyOf(b), { delivery: 'same' }));
          expect(queued).toHaveLength(2);
          expect(queued[0]?.deduplicationId).not.toBe(queued[1]?.deduplicationId);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('verifies a base64-encoded body over its decoded bytes', async () => {
    const { call } = setup();
    expect((await call(githubEvent(push, { base64: true }))).status).toBe(202);
  });

  it('accepts the form encoding, with the signature over the whole form', async () => {
    const { call, queued } = setup();
    const form = `payload=${encodeURIComponent(push)}`;
    const response = await call(
      githubEvent(form, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
    );
    expect(response.status).toBe(202);
    expect(queued).toHaveLength(1);
  });

  it('accepts a delivery signed with the previous secret during rotation', async () => {
    const { call } = setup({
      secrets: { GITHUB_WEBHOOK_SECRET: 'new-secret, old-secret', ZOHO_CLIQ_WEBHOOK_URL: CLIQ_URL },
    });
    expect((await call(githubEvent(push, { secret: 'old-secret' }))).status).toBe(202);
    expect((await call(githubEvent(push, { secret: 'new-secret' }))).status).toBe(202);
  });

  it('looks headers up whatever their case', async () => {
    const { call } = setup();
    const event = githubEvent(push);
    const shouted = Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect((await call({ ...event, headers: shouted })).status).toBe(202);
  });

  it('answers a ping with 200 and posts nothing', async () => {
    const { call, queued } = setup();
    const response = await call(githubEvent(JSON.stringify(octokitExample('ping')), { event: 'ping' }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: true, queued: 0 });
    expect(queued).toHaveLength(0);
  });

  it('accepts every event name of the examples, digits included (projects_v2_item)', async () => {
    const { call } = setup();
    const payload = JSON.stringify(octokitExample('projects_v2_item'));
    const response = await call(githubEvent(payload, { event: 'projects_v2_item' }));
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      events: [{ kind: expect.stringMatching(/^github\.projects_v2_item\./) }],
    });
  });

  it('normalizes an event Vigil has no dedicated model for instead of refusing it', async () => {
    const { call, queued } = setup();
    const response = await call(githubEvent(JSON.stringify(octokitExample('star')), { event: 'star' }));
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ events: [{ kind: 'github.star.created' }] });
    expect(queued).toHaveLength(1);
  });

  const rejections: [string, number, APIGatewayProxyEventV2, RegExp][] = [
    [
      'no signature',
      401,
      githubEvent(push, { headers: { 'X-Hub-Signature-256': '' } }),
      /X-Hub-Signature-256 is missing/,
    ],
    [
      'a signature from another secret',
      401,
      githubEvent(push, { secret: 'wrong' }),
      /does not match: check the secret/,
    ],
    [
      'a malformed signature',
      401,
      githubEvent(push, { headers: { 'X-Hub-Signature-256': 'sha256=nothex' } }),
      /64 hex digits/,
    ],
    [
      'the sha1 header only',
      401,
      githubEvent(push, { headers: { 'X-Hub-Signature-256': '', 'X-Hub-Signature': 'sha1=abc' } }),
      /missing/,
    ],
    [
      'no X-GitHub-Event',
      400,
      githubEvent(push, { headers: { 'X-GitHub-Event': '' } }),
      /X-GitHub-Event header is missing/,
    ],
    ['a nonsense event name', 400, githubEvent(push, { event: '../../etc' }), /event name/],
    ['malformed JSON', 400, githubEvent('{"ref": '), /not valid JSON/],
    ['a JSON array', 400, githubEvent('[1,2]'), /JSON array, not an object/],
    ['JSON null', 400, githubEvent('null'), /JSON null/],
    [
      'invalid UTF-8',
      400,
      githubEvent(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { base64: true }),
      /not valid UTF-8/,
    ],
    [
      'a form without payload',
      400,
      githubEvent('other=1', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      /no payload field/,
    ],
    ['GET', 405, githubEvent(push, { method: 'GET' }), /GET is not accepted here: send POST/],
    [
      'text/plain',
      415,
      githubEvent(push, { headers: { 'Content-Type': 'text/plain' } }),
      /text\/plain is not accepted/,
    ],
    [
      'no content type',
      415,
      githubEvent(push, { headers: { 'Content-Type': '' } }),
      /Content-Type is missing/,
    ],
    [
      'deep nesting',
      400,
      githubEvent(`${'['.repeat(200_000)}${']'.repeat(200_000)}`),
      /(nested too deeply|not an object)/,
    ],
  ];

  it.each(rejections)(
    'rejects %s with %i, a message saying what to fix, and queues nothing',
    async (_name, status, event, message) => {
      const { call, queued } = setup();
      const response = await call(event);
      expect(response.status).toBe(status);
      expect(response.body.error).toEqual(expect.any(String));
      expect(response.body.message).toMatch(message);
      expect(queued).toHaveLength(0);
    },
  );

  it('rejects a body over the cap with 413 before checking anything else', async () => {
    const { call, queued } = setup({ maxBodyBytes: 1024 });
    const response = await call(githubEvent('x'.repeat(2048), { headers: { 'X-Hub-Signature-256': '' } }));
    expect(response.status).toBe(413);
    expect(response.body.message).toMatch(/limit is 1024 \(MAX_BODY_BYTES\)/);
    expect(queued).toHaveLength(0);
  });

  it('refuses every delivery with 503 naming the key when no secret is configured', async () => {
    const { call, queued } = setup({ secrets: { ZOHO_CLIQ_WEBHOOK_URL: CLIQ_URL } });
    const response = await call(githubEvent(push));
    expect(response.status).toBe(503);
    expect(response.body.message).toMatch(/GITHUB_WEBHOOK_SECRET is not configured/);
    expect(queued).toHaveLength(0);
  });

  it('answers 503 naming ZOHO_CLIQ_WEBHOOK_URL when a deployed stage has no channel, and queues nothing', async () => {
    const { call, queued } = setup({ secrets: { GITHUB_WEBHOOK_SECRET: DEV_SECRET } });
    const response = await call(githubEvent(push));
    expect(response.status).toBe(503);
    expect(response.body.message).toMatch(/ZOHO_CLIQ_WEBHOOK_URL is not configured/);
    expect(queued).toHaveLength(0);
  });

  it('explains a misconfigured channel URL without echoing it', async () => {
    const secret = 'https://cliq.zoho.com/api/v2/bots/vigil/incoming?zapikey=TOPSECRET';
    const { call, recorder } = setup({
      secrets: { GITHUB_WEBHOOK_SECRET: DEV_SECRET, ZOHO_CLIQ_WEBHOOK_URL: secret },
    });
    const response = await call(githubEvent(push));
    expect(response.status).toBe(503);
    expect(response.body.message).toMatch(/incoming-webhook URL/);
    expect(JSON.stringify(response.body) + recorder.text()).not.toContain('TOPSECRET');
    // the log line an operator reads in CloudWatch says what to fix, not only the code
    expect(recorder.lines.find((line) => line.message === 'rejected')).toMatchObject({
      level: 'error',
      extra: [
        {
          code: 'not_configured',
          reason: expect.stringMatching(/^ZOHO_CLIQ_WEBHOOK_URL is a bot incoming-webhook URL/),
        },
      ],
    });
  });

  it('answers 503, never 2xx, when SQS refuses the message, and hides the internals', async () => {
    const { call, recorder } = setup({
      enqueue: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.1:443 internal detail');
      },
    });
    const response = await call(githubEvent(push));
    expect(response.status).toBe(503);
    expect(response.body.message).toMatch(/could not queue this delivery/);
    expect(JSON.stringify(response.body)).not.toContain('ECONNREFUSED');
    expect(recorder.lines.some((line) => line.level === 'error')).toBe(true);
  });

  it('answers 503 without detail when the secret cannot be loaded', async () => {
    const { call, queued } = setup({
      loadSecrets: async () => {
        throw new Error('AccessDenied arn:aws:secretsmanager:internal');
      },
    });
    const response = await call(githubEvent(push));
    expect(response.status).toBe(503);
    expect(response.body.message).toMatch(/could not load its configuration/);
    expect(JSON.stringify(response.body)).not.toContain('AccessDenied');
    expect(queued).toHaveLength(0);
  });

  it('never logs or answers with a secret, whatever is sent', async () => {
    const { call, recorder } = setup();
    await call(githubEvent(push, { secret: 'attacker' }));
    await call(githubEvent(push));
    await call(githubEvent('{', {}));
    const everything = recorder.text();
    expect(everything).not.toContain(DEV_SECRET);
    expect(everything).not.toContain('SECRETTOKEN');
  });

  it('always answers a status in 100..599 and queues nothing for any unsigned body', async () => {
    const { call, queued } = setup();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ maxLength: 30 }),
        async (bytes, event) => {
          const response = await call(githubEvent(Buffer.from(bytes), { event, secret: 'not-the-secret' }));
          return response.status >= 100 && response.status <= 599 && response.status !== 202;
        },
      ),
    );
    expect(queued).toHaveLength(0);
  });
});
