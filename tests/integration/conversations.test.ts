import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSRecord } from 'aws-lambda';
import { postToCliq } from '../../lib/cliq/deliver';
import { toOutbound } from '../../lib/queue/message';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { signedIdentity } from '../../lib/sources/shared/replay';
import { dynamoStateStore } from '../../lib/state/dynamo-store';
import type { DeliveryRecord, StateStore } from '../../lib/state/store';
import { LOCAL_STATE_TABLE } from '../../lib/state/table';
import { deliveryTable } from '../../tools/deliveries/delivery-log';
import { type Attempt, CliqStandIn } from '../../tools/harness/cliq-stand-in';
import { postGithub } from '../../tools/harness/github';
import { type LocalState, localDynamoClient, startLocalState } from '../../tools/local/dynamo-server';
import type { LocalStack } from '../../tools/local/stack';
import { push } from '../helpers/conversation-events';
import { postWorkflowRuns, pullRequest, review, workflowRun } from '../helpers/github-conversation';
import { testStack } from '../helpers/local-stack';
import { recordingLog } from '../helpers/log';
import { postSource } from '../helpers/sources';
import { sqsRecord } from '../helpers/sqs-record';

/**
 * Conversations end to end over loopback: real ingest, the embedded SQS, the real sender and the Cliq
 * stand-in, which implements Cliq's thread call (specs/zoho-cliq.md, Threads: v3 `…/messages` with
 * `thread_message_id`, refused when that is not a message of the channel).
 */

let cliq: CliqStandIn;
let channels = 0;
/** Each stack keeps its state table (the embedded DynamoDB) on disk here, so a restart keeps it. */
let stateRoot: string;

beforeAll(async () => {
  cliq = await new CliqStandIn().start();
  stateRoot = mkdtempSync(join(tmpdir(), 'vigil-conversations-'));
});
afterAll(async () => {
  await cliq.stop();
  rmSync(stateRoot, { recursive: true, force: true });
});

const startStack = (channel: string, stateDir: string) =>
  testStack({
    ZOHO_CLIQ_WEBHOOK_URL: cliq.channelUrl(channel, 'tok-conv'),
    RETRY_BASE_SECONDS: '1',
    CLIQ_POSTS_PER_MINUTE: '600',
    VIGIL_STATE_DIR: stateDir,
  });

/** A fresh Cliq channel and a stack posting to it, its state in the stack's own DynamoDB table. */
const fresh = async () => {
  const channel = `conv${++channels}`;
  const stateDir = join(stateRoot, channel);
  const run = {
    channel,
    stateDir,
    stack: await startStack(channel, stateDir),
    /** The state table of the running stack, read as the sender reads it. */
    get state(): StateStore {
      return this.stack.state.store;
    },
    attempts: () => cliq.attempts.filter((a) => a.channel === channel && a.status < 300),
  };
  return run;
};

const text = (attempt: Attempt | undefined) => (attempt?.body as { text?: string } | undefined)?.text ?? '';
const field = (attempt: Attempt | undefined, name: string) =>
  (attempt?.body as Record<string, unknown> | undefined)?.[name];

const alertGroup = (status: 'firing' | 'resolved', alerts: ['firing' | 'resolved', string][]) =>
  JSON.stringify({
    version: '4',
    groupKey: '{}/{}:{alertname="DiskFull"}',
    status,
    receiver: 'cliq',
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull', severity: 'warning', service: 'storage' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.com',
    alerts: alerts.map(([state, instance]) => ({
      status: state,
      labels: { alertname: 'DiskFull', instance },
      annotations: { summary: `disk full on ${instance}` },
      startsAt: '2026-11-23T11:00:00Z',
      endsAt: state === 'resolved' ? '2026-11-23T12:00:00Z' : '0001-01-01T00:00:00Z',
      fingerprint: `fp-${instance}`,
    })),
  });

/** One alert of the DiskFull group, firing since `startsAt` or, with `endsAt`, resolved then. */
const alertEpisode = (status: 'firing' | 'resolved', startsAt: string, endsAt?: string) =>
  JSON.stringify({
    version: '4',
    groupKey: '{}/{}:{alertname="DiskFull"}',
    status,
    receiver: 'cliq',
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull', severity: 'warning', service: 'storage' },
    commonAnnotations: {},
    alerts: [
      {
        status,
        labels: { alertname: 'DiskFull', instance: 'a' },
        annotations: { summary: 'disk full on a' },
        startsAt,
        endsAt: endsAt ?? '0001-01-01T00:00:00Z',
        fingerprint: 'fp-a',
      },
    ],
  });

describe('conversations through the local stack', () => {
  let stack: LocalStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('PR opened → reviewed → merged: one post, two replies in its thread, merged also in the channel', async () => {
    const run = await fresh();
    stack = run.stack;
    await postGithub(stack.url, pullRequest('opened'), { event: 'pull_request', delivery: 'pr-1' });
    await stack.waitForIdle();
    await postGithub(stack.url, review(), { event: 'pull_request_review', delivery: 'pr-2' });
    await stack.waitForIdle();
    await postGithub(stack.url, pullRequest('closed', true), { event: 'pull_request', delivery: 'pr-3' });
    await stack.waitForIdle();
    const [opened, reviewed, merged] = run.attempts();
    expect(run.attempts()).toHaveLength(3);
    expect(opened).toMatchObject({ thread: false, status: 200 });
    expect(reviewed).toMatchObject({ thread: true });
    expect(field(reviewed, 'thread_message_id')).toBe(opened?.messageId);
    expect(field(reviewed, 'post_in_parent')).toBeUndefined();
    expect(merged).toMatchObject({ thread: true });
    expect(field(merged, 'thread_message_id')).toBe(opened?.messageId);
    expect(field(merged, 'post_in_parent')).toBe(true);
  });

  it('workflow failure, failure, success, success: a post, a quiet "2nd" reply, "fixed" in the channel, then nothing', async () => {
    const run = await fresh();
    stack = run.stack;
    const runs: [number, 'failure' | 'success'][] = [
      [11, 'failure'],
      [12, 'failure'],
      [13, 'success'],
      [14, 'success'],
    ];
    await postWorkflowRuns(stack, runs);
    const [failed, again, fixed] = run.attempts();
    expect(run.attempts()).toHaveLength(3);
    expect(failed?.thread).toBe(false);
    expect(again?.thread).toBe(true);
    expect(text(again)).toMatch(/Still failing \(2nd run in a row\)/);
    expect(field(again, 'post_in_parent')).toBeUndefined();
    expect(text(fixed)).toMatch(/Fixed after 2 failed runs/);
    expect(field(fixed, 'post_in_parent')).toBe(true);
    expect(field(fixed, 'thread_message_id')).toBe(failed?.messageId);
    // the ledger keys a signed delivery on its signed bytes (a replay under a new delivery id is the same event)
    const lastRun = signedIdentity('github', JSON.stringify(workflowRun(14, 'success')));
    expect((await run.state.getDelivery('default', lastRun))?.state).toBe('unchanged');
  });

  it('an alert group firing → partly resolved → (stack restarts) → resolved replies in one thread; firing again opens a new one', async () => {
    const run = await fresh();
    stack = run.stack;
    const send = async (body: string, id: string) => {
      const response = await postSource(stack?.url ?? '', 'alertmanager', body, {
        headers: { 'x-request-id': id },
      });
      expect(response.status).toBe(202);
      await stack?.waitForIdle();
    };
    await send(
      alertGroup('firing', [
        ['firing', 'a'],
        ['firing', 'b'],
      ]),
      'am-1',
    );
    await send(
      alertGroup('firing', [
        ['resolved', 'a'],
        ['firing', 'b'],
      ]),
      'am-2',
    );
    await stack.stop();
    run.stack = await startStack(run.channel, run.stateDir);
    stack = run.stack;
    await send(
      alertGroup('resolved', [
        ['resolved', 'a'],
        ['resolved', 'b'],
      ]),
      'am-3',
    );
    await send(alertGroup('firing', [['firing', 'c']]), 'am-4');
    const [firing, partly, resolved, again] = run.attempts();
    expect(run.attempts().map((a) => a.thread)).toEqual([false, true, true, false]);
    expect(field(partly, 'thread_message_id')).toBe(firing?.messageId);
    expect(field(partly, 'post_in_parent')).toBeUndefined();
    expect(field(resolved, 'thread_message_id')).toBe(firing?.messageId);
    expect(field(resolved, 'post_in_parent')).toBe(true);
    expect(again?.messageId).not.toBe(firing?.messageId);
  });

  it('an alert group resolved at 12:10, then its 12:00 firing arriving late: not posted, recorded unchanged/stale; a new firing at 12:20 posts', async () => {
    const run = await fresh();
    stack = run.stack;
    const send = async (body: string, id: string) => {
      const response = await postSource(stack?.url ?? '', 'alertmanager', body, {
        headers: { 'x-request-id': id },
      });
      expect(response.status).toBe(202);
      await stack?.waitForIdle();
    };
    await send(alertEpisode('firing', '2026-11-23T12:00:00Z'), 'late-1');
    await send(alertEpisode('resolved', '2026-11-23T12:00:00Z', '2026-11-23T12:10:00Z'), 'late-2');
    // another replica's (or a slow retry's) copy of the 12:00 firing, after the resolution; spelled apart
    // from the first so that it is not the ledger's duplicate of it (as at 12:16, past the dedup window)
    await send(alertEpisode('firing', '2026-11-23T12:00:00.000Z'), 'late-3');
    expect(run.attempts()).toHaveLength(2);
    const records: DeliveryRecord[] = [];
    for await (const record of run.state.listDeliveries({})) records.push(record);
    const stale = records.filter((record) => record.state === 'unchanged');
    expect(stale).toEqual([
      expect.objectContaining({
        kind: 'alertmanager.alert.firing',
        reason: expect.stringMatching(/^stale: /),
      }),
    ]);
    // operators see why in `npm run deliveries`
    expect(deliveryTable(records)).toMatch(/unchanged .*\(stale: /);

    await send(alertEpisode('firing', '2026-11-23T12:20:00Z'), 'late-4');
    const [firing, resolved, again] = run.attempts();
    expect(run.attempts()).toHaveLength(3);
    expect(field(resolved, 'thread_message_id')).toBe(firing?.messageId);
    expect(again?.thread).toBe(false);
    expect(again?.messageId).not.toBe(firing?.messageId);
  });

  it('a Sentry issue created → resolved: the resolution replies in its thread, also in the channel', async () => {
    const run = await fresh();
    stack = run.stack;
    const sample = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'events', 'sentry', 'issue-created.json'), 'utf8'),
    );
    const created = sample.body as string;
    const resolved = JSON.stringify({ ...JSON.parse(created), action: 'resolved' });
    await postSource(stack.url, 'sentry', created, { headers: { 'request-id': 'b'.repeat(32) } });
    await stack.waitForIdle();
    await postSource(stack.url, 'sentry', resolved, { headers: { 'request-id': 'c'.repeat(32) } });
    await stack.waitForIdle();
    const [first, second] = run.attempts();
    expect(run.attempts()).toHaveLength(2);
    expect(field(second, 'thread_message_id')).toBe(first?.messageId);
    expect(field(second, 'post_in_parent')).toBe(true);
  });

  it('a channel that forbids threads gets the reply as a channel post naming what it follows, never lost', async () => {
    const run = await fresh();
    stack = run.stack;
    cliq.forbidThreads(run.channel);
    await postGithub(stack.url, pullRequest('opened'), { event: 'pull_request', delivery: 'fb-1' });
    await stack.waitForIdle();
    await postGithub(stack.url, pullRequest('closed', true), { event: 'pull_request', delivery: 'fb-2' });
    await stack.waitForIdle();
    const refused = cliq.attempts.filter((a) => a.channel === run.channel && a.status >= 400);
    expect(refused.map((a) => a.thread)).toEqual([true]);
    const [, fallback] = run.attempts();
    expect(run.attempts()).toHaveLength(2);
    expect(fallback?.thread).toBe(false);
    expect(text(fallback)).toMatch(/^↪ Follows up: \[.*\]\(https:\/\/github\.com\//);
  });

  it('a Cliq that gives no message ids: later events of the subject post in the channel with the follow-up line', async () => {
    const run = await fresh();
    stack = run.stack;
    cliq.omitIds(run.channel);
    await postGithub(stack.url, pullRequest('opened'), { event: 'pull_request', delivery: 'ni-1' });
    await stack.waitForIdle();
    await postGithub(stack.url, pullRequest('closed', true), { event: 'pull_request', delivery: 'ni-2' });
    await stack.waitForIdle();
    expect(run.attempts().map((a) => [a.thread, a.status])).toEqual([
      [false, 204],
      [false, 204],
    ]);
    expect(text(run.attempts()[1])).toMatch(/^↪ Follows up:/);
  });
});

describe('a digest retried in a second sender instance that shares the store', () => {
  it('posts nothing twice', async () => {
    const channel = `conv${++channels}`;
    const server: LocalState = await startLocalState({
      port: 0,
      host: '127.0.0.1',
      tableName: LOCAL_STATE_TABLE,
    });
    // two containers, two clients, one table
    const sender = () =>
      createSenderHandler({
        secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: cliq.channelUrl(channel, 'tok-digest') }),
        previewWhenUnset: false,
        format: formatEvent,
        deliver: (url, message) => postToCliq(fetch, url, message, 2000),
        preview: () => undefined,
        deadLetter: async () => undefined,
        state: dynamoStateStore({ client: localDynamoClient(server.endpoint), tableName: server.tableName }),
        digestAfter: 2,
        log: recordingLog().log,
      });
    const records: SQSRecord[] = Array.from({ length: 20 }, (_, i) => {
      const event = push(`dg-${i}`);
      return sqsRecord(
        toOutbound({ ...event, title: `${event.title} dg-${i}` }, { channel: 'default', owner: 'cliq-a' })
          .body,
        `r${i}`,
      );
    });
    // the first card is accepted, the second answered 503: the batch fails and SQS hands it to another container
    cliq.script(channel, { status: 204 }, { status: 503, body: { code: 'busy', message: 'try later' } });
    const first = await sender()({ Records: records });
    expect(first.batchItemFailures.length).toBeGreaterThan(0);
    await sender()({ Records: records });
    const listed = cliq.attempts
      .filter((a) => a.channel === channel && a.status < 300)
      .flatMap((a) => JSON.stringify(a.body).match(/dg-\d+/g) ?? []);
    expect(new Set(listed).size).toBe(20);
    expect(listed).toHaveLength(20);
    await server.stop();
  });
});
