import { postToCliq } from '../../lib/cliq/deliver';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { dynamoStateStore } from '../../lib/state/dynamo-store';
import { LOCAL_STATE_TABLE } from '../../lib/state/table';
import { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import { githubEvent, octokitExample } from '../../tools/harness/github';
import { type LocalState, localDynamoClient, startLocalState } from '../../tools/local/dynamo-server';
import { ingestFor } from '../helpers/ingest';
import { recordingLog } from '../helpers/log';
import { sourceEvent } from '../helpers/sources';
import { sqsRecord } from '../helpers/sqs-record';

/**
 * A captured delivery sent again under a new id header, after SQS's five-minute deduplication window: the
 * queue takes it as a new message, and the ledger in the shared state table is what keeps it from posting.
 * Each replay reaches a fresh sender, as a later invocation in another container would.
 */
describe('a signed delivery replayed under a new id after the SQS window', () => {
  let cliq: CliqStandIn;
  let server: LocalState;
  let channels = 0;

  beforeAll(async () => {
    cliq = await new CliqStandIn().start();
  });
  afterAll(async () => {
    await cliq.stop();
  });
  // the ledger is per routing channel (`default` here): each test has a table of its own
  beforeEach(async () => {
    server = await startLocalState({ port: 0, host: '127.0.0.1', tableName: LOCAL_STATE_TABLE });
  });
  afterEach(async () => {
    await server.stop();
  });

  const setup = () => {
    const channel = `replay${++channels}`;
    const url = cliq.channelUrl(channel, 'tok-replay');
    const sender = () =>
      createSenderHandler({
        secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: url }),
        previewWhenUnset: false,
        format: formatEvent,
        deliver: (target, message) => postToCliq(fetch, target, message, 2000),
        preview: () => undefined,
        deadLetter: async () => undefined,
        state: dynamoStateStore({ client: localDynamoClient(server.endpoint), tableName: server.tableName }),
        log: recordingLog().log,
      });
    /** Ingests each request, then hands every message queued for it to a new sender as a new SQS message. */
    const deliver = async (
      source: Parameters<typeof ingestFor>[0],
      requests: Parameters<ReturnType<typeof ingestFor>['call']>[0][],
    ) => {
      const { call, queued } = ingestFor(source, {
        secrets: {
          GITHUB_WEBHOOK_SECRET: 'vigil-development-secret',
          SENTRY_CLIENT_SECRET: 'vigil-development-secret',
          ZOHO_CLIQ_WEBHOOK_URL: url,
        },
      });
      for (const [i, request] of requests.entries()) {
        expect((await call(request)).status).toBe(202);
        const message = queued[queued.length - 1];
        await sender()({ Records: [sqsRecord(message?.body ?? '', `${channel}-${i}`)] });
      }
      return cliq.attempts.filter((attempt) => attempt.channel === channel && attempt.status < 300);
    };
    return { deliver };
  };

  const pushOf = (message: string) => {
    const payload = octokitExample('push', (p) => p.ref === 'refs/heads/master');
    const commits = (payload.commits as Record<string, unknown>[]).map((commit) => ({ ...commit, message }));
    return JSON.stringify({ ...payload, commits, created: false, before: 'a'.repeat(40) });
  };
  const push = pushOf('Fix the deploy script');

  it('posts a GitHub push once', async () => {
    const { deliver } = setup();
    const posted = await deliver('github', [
      githubEvent(push, { delivery: 'captured' }),
      githubEvent(push, { delivery: 'replayed' }),
    ]);
    expect(posted).toHaveLength(1);
  });

  it('posts a genuine GitHub redelivery (same id, same body) once', async () => {
    const { deliver } = setup();
    const posted = await deliver('github', [
      githubEvent(push, { delivery: 'same' }),
      githubEvent(push, { delivery: 'same' }),
    ]);
    expect(posted).toHaveLength(1);
  });

  it('posts two different GitHub pushes twice, even under one delivery id', async () => {
    const { deliver } = setup();
    const other = pushOf('Roll back the deploy script');
    const posted = await deliver('github', [
      githubEvent(push, { delivery: 'same' }),
      githubEvent(other, { delivery: 'same' }),
    ]);
    expect(posted).toHaveLength(2);
  });

  it('posts a Sentry issue once', async () => {
    const { deliver } = setup();
    const body = JSON.stringify({
      action: 'created',
      data: { issue: { id: '42', title: 'TypeError in checkout', level: 'error', project: { slug: 'web' } } },
      installation: { uuid: 'x' },
    });
    const posted = await deliver('sentry', [
      sourceEvent('sentry', body, {
        headers: { 'request-id': 'a'.repeat(32), 'sentry-hook-resource': 'issue' },
      }),
      sourceEvent('sentry', body, {
        headers: { 'request-id': 'b'.repeat(32), 'sentry-hook-resource': 'issue' },
      }),
    ]);
    expect(posted).toHaveLength(1);
  });
});
