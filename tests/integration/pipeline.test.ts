import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { QUEUE_SETTINGS } from '../../lib/queue/settings';
import { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import { octokitExample, postGithub } from '../../tools/harness/github';
import type { LocalStack } from '../../tools/local/stack';
import { queueDepth } from '../../tools/sqs/queue-attributes';
import { postWorkflowRuns, workflowRun } from '../helpers/github-conversation';
import { testStack, testStackWithCliq } from '../helpers/local-stack';
import { recordingLog } from '../helpers/log';

const TOKEN = '1001.integration-token.secret';

const push = (message: string) => {
  const payload = octokitExample('push', (p) => p.ref === 'refs/heads/master');
  const commits = (payload.commits as Record<string, unknown>[]).map((commit) => ({ ...commit, message }));
  return { ...payload, commits, created: false, before: 'a'.repeat(40) };
};

describe('GitHub → SQS → Cliq over loopback', () => {
  let cliq: CliqStandIn;
  let stack: LocalStack;
  let recorder: ReturnType<typeof recordingLog>;

  beforeEach(async () => {
    recorder = recordingLog();
    ({ cliq, stack } = await testStackWithCliq(
      {
        GITHUB_WEBHOOK_SECRET: 'vigil-development-secret',
        RETRY_BASE_SECONDS: '1',
        RETRY_MAX_SECONDS: '1',
        CLIQ_POSTS_PER_MINUTE: '600',
      },
      { channel: 'alerts', token: TOKEN, log: recorder.log },
    ));
  });

  afterEach(async () => {
    await stack.stop();
    await cliq.stop();
  });

  it('delivers a signed push to the channel as a valid card', async () => {
    const response = await postGithub(stack.url, push('Fix the deploy script'), { delivery: 'd-1' });
    expect(response.status).toBe(202);
    await stack.waitForIdle();
    const [message] = cliq.messages('alerts') as { text: string }[];
    expect(message?.text).toMatch(/Codertocat\/Hello-World: Codertocat pushed to master: 1 commit/);
    expect(JSON.stringify(message)).toContain('Fix the deploy script');
  });

  it('posts a redelivered delivery id once', async () => {
    await postGithub(stack.url, push('once'), { delivery: 'same-id' });
    const again = await postGithub(stack.url, push('once'), { delivery: 'same-id' });
    expect(again.status).toBe(202);
    await stack.waitForIdle();
    expect(cliq.messages('alerts')).toHaveLength(1);
  });

  it('posts a signed body replayed under a new delivery id once, and a different body under a reused id', async () => {
    await postGithub(stack.url, push('captured'), { delivery: 'captured-id' });
    const replay = await postGithub(stack.url, push('captured'), { delivery: 'replayed-id' });
    expect(replay.status).toBe(202);
    await postGithub(stack.url, push('another change'), { delivery: 'captured-id' });
    await stack.waitForIdle();
    const texts = (cliq.messages('alerts') as { text: string }[]).map((message) => JSON.stringify(message));
    expect(texts).toHaveLength(2);
    expect(texts.filter((text) => text.includes('captured'))).toHaveLength(1);
  });

  it('retries a Cliq 503 and delivers once when Cliq recovers', async () => {
    cliq.script('alerts', { status: 503, body: { code: 'internal_error', message: 'down' } });
    await postGithub(stack.url, push('after an outage'), { delivery: 'd-503' });
    await stack.waitForIdle();
    expect(cliq.attempts.map((attempt) => attempt.status)).toEqual([503, 204]);
    expect(cliq.messages('alerts')).toHaveLength(1);
  });

  it('dead-letters a Cliq 400 at once with its status and code', async () => {
    cliq.script('alerts', { status: 400, body: { code: 'input_invalid', message: 'invalid slide' } });
    await postGithub(stack.url, push('rejected'), { delivery: 'd-400' });
    await stack.waitForIdle();
    expect(cliq.attempts).toHaveLength(1);
    const dead = await stack.queues.client.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.queues.dlqUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(dead.Messages).toHaveLength(1);
    const attributes = dead.Messages?.[0]?.MessageAttributes ?? {};
    expect(attributes.reason?.StringValue).toBe('cliq_rejected');
    expect(attributes.status?.StringValue).toBe('400');
    expect(attributes.code?.StringValue).toBe('input_invalid');
    expect(attributes.kind?.StringValue).toBe('github.push');
  });

  it('keeps the order of events for one channel when the first needs a retry', async () => {
    cliq.script('alerts', { status: 503 }, { status: 503 });
    for (const n of [1, 2, 3]) {
      expect((await postGithub(stack.url, push(`event ${n}`), { delivery: `order-${n}` })).status).toBe(202);
    }
    await stack.waitForIdle();
    const order = (cliq.messages('alerts') as unknown[]).map(
      (message) => /event (\d)/.exec(JSON.stringify(message))?.[1],
    );
    expect(order).toEqual(['1', '2', '3']);
  });

  // AWS Lambda Developer Guide, "Using Lambda with Amazon SQS" (Implementing partial batch responses): a
  // reported failure becomes visible again when its visibility timeout ends, here the queue's 18 minutes
  it('brings the rest of a channel back right after the backoff when a 503 fails the head of a batch', async () => {
    cliq.script('alerts', { status: 204, delayMs: 700 }, { status: 503 });
    await postGithub(stack.url, push('event 1'), { delivery: 'stall-1' });
    // while event 1 is being posted, events 2 to 4 wait behind it and then come in one batch
    while ((await queueDepth(stack.queues.client, stack.queues.queueUrl)).inFlight === 0)
      await new Promise((resolve) => setTimeout(resolve, 10));
    for (const n of [2, 3, 4]) await postGithub(stack.url, push(`event ${n}`), { delivery: `stall-${n}` });
    await stack.waitForIdle(10_000);
    expect(cliq.attempts.map((attempt) => attempt.status)).toEqual([204, 503, 204, 204, 204]);
    const order = cliq.attempts.map((attempt) => /event (\d)/.exec(JSON.stringify(attempt.body))?.[1]);
    expect(order).toEqual(['1', '2', '2', '3', '4']);
    // the 503's backoff is 1 s (RETRY_BASE_SECONDS): events 3 and 4 follow it, not the queue's timeout
    const failedAt = cliq.attempts[1]?.at ?? 0;
    expect((cliq.attempts[4]?.at ?? Number.POSITIVE_INFINITY) - failedAt).toBeLessThan(3000);
  }, 20_000);

  // Amazon SQS Developer Guide, "Using dead-letter queues": a message received maxReceiveCount times is
  // moved; SQS counts every receive, so the event behind the failing one, received in each of its batches,
  // would go with it. The sender dead-letters the failing one itself on its last receive, and the event
  // behind it is posted in that same batch.
  it('dead-letters a message that keeps failing on production’s last receive, and delivers the event behind it', async () => {
    const receives = QUEUE_SETTINGS.maxReceiveCount;
    cliq.script('alerts', ...Array.from({ length: receives }, () => ({ status: 503 })));
    await postGithub(stack.url, push('never'), { delivery: 'd-exhaust' });
    await postGithub(stack.url, push('behind it'), { delivery: 'd-behind' });
    await stack.waitForIdle(receives * 2000);
    const failed = cliq.attempts.filter((attempt) => attempt.status === 503);
    expect(failed.map((attempt) => JSON.stringify(attempt.body).includes('never'))).toEqual(
      Array.from({ length: receives }, () => true),
    );
    const dead = await stack.queues.client.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.queues.dlqUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(dead.Messages?.map((m) => JSON.parse(m.Body ?? '{}').event.id)).toEqual(['d-exhaust']);
    expect(dead.Messages?.[0]?.MessageAttributes?.reason?.StringValue).toBe('retries_exhausted');
    expect(cliq.messages('alerts').map((body) => JSON.stringify(body).includes('behind it'))).toEqual([true]);
  }, 90_000);

  it('rejects a bad signature with 401 and nothing reaches the queue or Cliq', async () => {
    const response = await postGithub(stack.url, push('forged'), { secret: 'wrong' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'unauthorized' });
    await stack.waitForIdle();
    expect(cliq.attempts).toHaveLength(0);
  });

  it('answers 404 for unknown routes and reports health with queue depths', async () => {
    expect((await fetch(`${stack.url}/webhooks/nope`, { method: 'POST' })).status).toBe(404);
    const health = await fetch(`${stack.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      mode: 'delivering',
      queue: { visible: 0 },
      dlq: { depth: 0 },
    });
  });

  it('answers 413 to a body over the limit without reading it all', async () => {
    const response = await fetch(`${stack.url}/webhooks/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push' },
      body: 'x'.repeat(26 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
  });

  it('never logs the channel URL, its token or the webhook secret', async () => {
    cliq.script(
      'alerts',
      { status: 503 },
      { status: 401, body: { code: 'oauthtoken_invalid', message: 'bad token' } },
    );
    await postGithub(stack.url, push('logged'), { delivery: 'd-log' });
    await postGithub(stack.url, push('forged'), { secret: 'wrong' });
    await stack.waitForIdle();
    const logs = recorder.text();
    expect(logs).toContain('delivery failed, will retry');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain('zapikey');
    expect(logs).not.toContain('vigil-development-secret');
  });
});

describe('the local stack in preview mode', () => {
  type Listed = {
    kind: string;
    channel: string;
    message: { text: string };
    message_id: string;
    reply: boolean;
    parent: string | null;
    post_in_parent: boolean;
  };
  const previews = async (stack: LocalStack) =>
    ((await (await fetch(`${stack.url}/previews`)).json()) as { previews: Listed[] }).previews;

  it('formats messages without a Cliq URL and keeps them for GET /previews', async () => {
    const stack = await testStack();
    try {
      expect(stack.mode).toBe('preview');
      expect((await postGithub(stack.url, push('previewed'), { delivery: 'p-1' })).status).toBe(202);
      await stack.waitForIdle();
      const listed = await previews(stack);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({
        kind: 'github.push',
        channel: 'default',
        reply: false,
        parent: null,
      });
      expect(JSON.stringify(listed[0]?.message)).toContain('previewed');
      // the placement fields are listed beside the message, not in it
      expect(listed[0]?.message).not.toHaveProperty('sync_message');
      const health = (await (await fetch(`${stack.url}/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ mode: 'preview', channels: { default: 'preview' } });
    } finally {
      await stack.stop();
    }
  });

  it('runs the whole pipeline against the built-in stand-in: threads, "Fixed after N", and a re-sent delivery not shown again', async () => {
    const stack = await testStack({ CLIQ_POSTS_PER_MINUTE: '600' });
    try {
      const runs: [number, 'failure' | 'success'][] = [
        [21, 'failure'],
        [22, 'failure'],
        [23, 'success'],
      ];
      await postWorkflowRuns(stack, runs);
      // GitHub's Redeliver: the same delivery again is the same event, and the ledger says so
      const again = await postGithub(stack.url, workflowRun(23, 'success'), {
        event: 'workflow_run',
        delivery: 'run-23',
      });
      expect(again.status).toBe(202);
      await stack.waitForIdle();
      const listed = await previews(stack);
      expect(listed.map((entry) => entry.message.text)).toEqual([
        expect.not.stringMatching(/Still failing|Fixed/),
        expect.stringMatching(/Still failing \(2nd run in a row\)/),
        expect.stringMatching(/Fixed after 2 failed runs/),
      ]);
      const [failed, second, fixed] = listed;
      expect(failed).toMatchObject({ reply: false, parent: null, post_in_parent: false });
      expect(second).toMatchObject({ reply: true, parent: failed?.message_id, post_in_parent: false });
      expect(fixed).toMatchObject({ reply: true, parent: failed?.message_id, post_in_parent: true });
      expect(listed.every((entry) => entry.kind === 'github.workflow_run.completed')).toBe(true);
    } finally {
      await stack.stop();
    }
  });

  it('is per channel: a channel with a URL delivers, the others preview, and /health says which', async () => {
    const cliq = await new CliqStandIn().start();
    const config = join(mkdtempSync(join(tmpdir(), 'vigil-mixed-')), 'vigil.config.yaml');
    writeFileSync(
      config,
      'default: default\nchannels: { ops: {} }\nroutes:\n  - { name: pushes, match: { kind: github.push }, to: [ops, default] }\n',
    );
    const stack = await testStack({ VIGIL_CONFIG: config, CLIQ_URL_OPS: cliq.channelUrl('ops', 'tok-ops') });
    try {
      expect(stack.mode).toBe('mixed');
      await postGithub(stack.url, push('both ways'), { delivery: 'mixed-1' });
      await stack.waitForIdle();
      expect(cliq.messages('ops')).toHaveLength(1);
      expect((await previews(stack)).map((entry) => entry.channel)).toEqual(['default']);
      const health = await (await fetch(`${stack.url}/health`)).text();
      expect(JSON.parse(health)).toMatchObject({
        mode: 'mixed',
        channels: { ops: 'delivering', default: 'preview' },
      });
      expect(health).not.toContain('tok-ops');
      expect(stack.targets.ops).toMatch(/^127\.0\.0\.1:\d+, channel ops$/);
      const page = await (await fetch(`${stack.url}/`)).text();
      expect(page).toContain('mixed: ops delivering to Cliq; default previewed');
    } finally {
      await stack.stop();
      await cliq.stop();
    }
  });
});

describe('Cliq’s rate-limit lock over loopback', () => {
  it('holds only the locked owner until Retry-After, without hammering it, while another owner flows', async () => {
    const cliq = await new CliqStandIn().start();
    const config = join(mkdtempSync(join(tmpdir(), 'vigil-lock-')), 'vigil.config.yaml');
    writeFileSync(
      config,
      'default: locked\nchannels: { locked: {}, free: {} }\nroutes:\n  - { name: failures also elsewhere, match: { kind: github.push }, to: [locked, free], continue: true }\n',
    );
    const stack = await testStack({
      VIGIL_CONFIG: config,
      ZOHO_CLIQ_WEBHOOK_URL: cliq.channelUrl('unused', 'token-unused'),
      CLIQ_URL_LOCKED: cliq.channelUrl('locked', 'token-locked'),
      CLIQ_URL_FREE: cliq.channelUrl('free', 'token-free'),
      CLIQ_POSTS_PER_MINUTE: '600',
      RETRY_BASE_SECONDS: '1',
    });
    try {
      cliq.script('locked', {
        status: 429,
        headers: { 'retry-after': '3' },
        body: { code: 'too_many_requests', message: 'locked' },
      });
      const startedAt = Date.now();
      for (const n of [1, 2])
        expect((await postGithub(stack.url, push(`locked ${n}`), { delivery: `lock-${n}` })).status).toBe(
          202,
        );
      await stack.waitForIdle(30_000);
      const locked = cliq.attempts.filter((a) => a.channel === 'locked');
      expect(locked.map((a) => a.status)).toEqual([429, 204, 204]);
      expect((locked[1]?.at ?? 0) - (locked[0]?.at ?? 0)).toBeGreaterThanOrEqual(2900);
      const free = cliq.attempts.filter((a) => a.channel === 'free');
      expect(free.map((a) => a.status)).toEqual([204, 204]);
      expect((free[1]?.at ?? Number.POSITIVE_INFINITY) - startedAt).toBeLessThan(2500);
      expect(
        (cliq.messages('locked') as unknown[]).map((m) => /locked (\d)/.exec(JSON.stringify(m))?.[1]),
      ).toEqual(['1', '2']);
    } finally {
      await stack.stop();
      await cliq.stop();
    }
  }, 40_000);
});
