import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeliveryResult } from '../../lib/cliq/deliver';
import type { CliqMessage } from '../../lib/cliq/message';
import { Pacer } from '../../lib/delivery/pacer';
import { memoryCounters } from '../../lib/metrics';
import type { DeadLetterReason } from '../../lib/queue/dead-letter';
import type { SenderDeps } from '../../lib/sender/deps';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { queuedPush } from '../helpers/github-push';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

const URL_WITH_TOKEN = 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=1001.TOPSECRET';

const record = sqsRecord;

const setup = (
  answers: DeliveryResult[],
  secrets: Record<string, string> = { ZOHO_CLIQ_WEBHOOK_URL: URL_WITH_TOKEN },
) => {
  const delivered: CliqMessage[] = [];
  const deadLettered: [string, DeadLetterReason][] = [];
  const recorder = recordingLog();
  const deps: SenderDeps = {
    secrets: async () => secrets,
    previewWhenUnset: false,
    format: formatEvent,
    deliver: async (_url, message) => {
      const answer = answers.shift() ?? { ok: true, status: 204 };
      if (answer.ok) delivered.push(message);
      return answer;
    },
    preview: () => undefined,
    deadLetter: async (r, why) => {
      deadLettered.push([r.messageId, why]);
    },
    maxReceiveCount: 25,
    log: recorder.log,
  };
  return { handler: createSenderHandler(deps), delivered, deadLettered, recorder };
};

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const transient: DeliveryResult = {
  ok: false,
  transient: true,
  throttled: false,
  status: 503,
  message: 'Cliq answered HTTP 503',
};

describe('sender', () => {
  it('delivers each record and reports no failures', async () => {
    const { handler, delivered } = setup([]);
    const response = await handler(batch(record(queuedPush('e1'), 'm1'), record(queuedPush('e2'), 'm2')));
    expect(response.batchItemFailures).toEqual([]);
    expect(delivered).toHaveLength(2);
  });

  it('reports a transient failure and every later record of the same group, keeping order', async () => {
    const { handler, delivered } = setup([{ ok: true, status: 204 }, transient]);
    const response = await handler(
      batch(
        record(queuedPush('e1'), 'm1'),
        record(queuedPush('e2'), 'm2'),
        record(queuedPush('e3'), 'm3'),
        record(queuedPush('x1'), 'o1', 'cliq-other'),
      ),
    );
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m2', 'm3']);
    expect(delivered).toHaveLength(2); // m1 and the other owner's o1
  });

  it('dead-letters a record failing on its last receive itself, so the rest of its group goes through now', async () => {
    const { handler, delivered, deadLettered } = setup([transient]);
    const last = record(queuedPush('e1'), 'm1');
    (last.attributes as { ApproximateReceiveCount: string }).ApproximateReceiveCount = '25';
    const response = await handler(batch(last, record(queuedPush('e2'), 'm2')));
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered.map(([id, why]) => [id, why.reason])).toEqual([['m1', 'retries_exhausted']]);
    expect(delivered).toHaveLength(1);
  });

  it('dead-letters a body that fails validation at once, with the reason, instead of retrying', async () => {
    const { handler, deadLettered, delivered } = setup([]);
    const bad = JSON.stringify({ v: 1, channel: 'default', event: { kind: 'nope' } });
    const response = await handler(batch(record(bad, 'm1'), record('not json', 'm2')));
    expect(response.batchItemFailures).toEqual([]);
    expect(delivered).toEqual([]);
    expect(deadLettered.map(([id, why]) => [id, why.reason])).toEqual([
      ['m1', 'invalid_message'],
      ['m2', 'invalid_message'],
    ]);
    expect(deadLettered[0]?.[1].detail).toMatch(/event/);
  });

  it('dead-letters a permanent Cliq refusal with its status and code, and logs a formatter bug loudly', async () => {
    const { handler, deadLettered, recorder } = setup([
      {
        ok: false,
        transient: false,
        throttled: false,
        status: 400,
        code: 'input_invalid',
        message: 'slides too long',
      },
    ]);
    const response = await handler(batch(record(queuedPush('e1'), 'm1')));
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered[0]?.[1]).toMatchObject({
      reason: 'cliq_rejected',
      status: 400,
      code: 'input_invalid',
      kind: 'github.push',
    });
    expect(recorder.lines.find((line) => line.level === 'error')?.message).toMatch(/formatter bug/);
  });

  it.each([
    ['429', { ok: false, transient: true, throttled: true, status: 429, message: 'too many' }],
    [
      'request_limit_exceeded',
      {
        ok: false,
        transient: true,
        throttled: true,
        status: 400,
        code: 'request_limit_exceeded',
        message: 'locked',
      },
    ],
    [
      'a timeout',
      { ok: false, transient: true, throttled: false, message: 'Cliq did not answer within 10000 ms' },
    ],
  ] as [string, DeliveryResult][])('retries on %s rather than dead-lettering', async (_name, answer) => {
    const { handler, deadLettered } = setup([answer]);
    const response = await handler(batch(record(queuedPush('e1'), 'm1')));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(deadLettered).toEqual([]);
  });

  it('dead-letters when the channel has no URL in a deployed stage, naming the key', async () => {
    const { handler, deadLettered } = setup([], {});
    await handler(batch(record(queuedPush('e1'), 'm1')));
    expect(deadLettered[0]?.[1]).toMatchObject({ reason: 'channel_not_configured' });
    expect(deadLettered[0]?.[1].detail).toMatch(/ZOHO_CLIQ_WEBHOOK_URL is not configured/);
  });

  it('never logs the channel URL or its token', async () => {
    const { handler, recorder } = setup([
      transient,
      { ok: false, transient: false, throttled: false, status: 401, message: 'denied' },
    ]);
    await handler(batch(record(queuedPush('e1'), 'm1')));
    await handler(batch(record(queuedPush('e2'), 'm2')));
    expect(recorder.text()).not.toContain('TOPSECRET');
    expect(recorder.text()).not.toContain('zapikey');
  });
});

describe('sender retries and Cliq’s lock', () => {
  const withRetry = (answers: DeliveryResult[]) => {
    const base = setup(answers);
    const moved: [string, number][] = [];
    let now = 0;
    const pacer = new Pacer(
      20,
      () => now,
      async (ms) => {
        now += ms;
      },
    );
    const handler = createSenderHandler({
      secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: URL_WITH_TOKEN }),
      previewWhenUnset: false,
      format: formatEvent,
      deliver: async (_url, message) => {
        const answer = answers.shift() ?? { ok: true, status: 204 };
        if (answer.ok) base.delivered.push(message);
        return answer;
      },
      preview: () => undefined,
      deadLetter: async () => undefined,
      pacer,
      retry: { baseSeconds: 10, maxSeconds: 900, lockSeconds: 600 },
      changeVisibility: async (r, seconds) => void moved.push([r.messageId, seconds]),
      log: base.recorder.log,
    });
    return { handler, moved, delivered: base.delivered, pacer, clock: () => now, recorder: base.recorder };
  };

  it('moves a transient failure out by the backoff for its receive count', async () => {
    const { handler, moved } = withRetry([transient]);
    await handler(batch(record(queuedPush('e1'), 'm1')));
    expect(moved).toHaveLength(1);
    expect(moved[0]?.[1]).toBeGreaterThanOrEqual(5);
    expect(moved[0]?.[1]).toBeLessThanOrEqual(10);
  });

  it('honours Retry-After on a 429, holds the owner, and does not post to it again while locked', async () => {
    const { handler, moved, delivered, pacer, recorder } = withRetry([
      { ok: false, transient: true, throttled: true, status: 429, message: 'slow', retryAfterSeconds: 42 },
    ]);
    const first = await handler(batch(record(queuedPush('e1'), 'm1')));
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(moved).toEqual([['m1', 42]]);
    // the batch settled one spacing (3 s) after its post, so 39 s of the lock remain
    expect(pacer.lockedFor('cliq-a')).toBe(39);
    const second = await handler(
      batch(record(queuedPush('e2'), 'm2'), record(queuedPush('o1'), 'o1', 'cliq-other')),
    );
    expect(second.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(moved[1]).toEqual(['m2', 39]);
    expect(delivered).toHaveLength(1); // only the other owner's message
    // the held record says why it waits
    const held = recorder.lines.find((line) => /lock still holds/.test(line.message));
    expect(held?.extra[0]).toMatchObject({ messageId: 'm2', seconds: 39 });
  });

  it('locks for CLIQ_LOCK_SECONDS on request_limit_exceeded without Retry-After', async () => {
    const { handler, moved } = withRetry([
      {
        ok: false,
        transient: true,
        throttled: true,
        status: 400,
        code: 'request_limit_exceeded',
        message: 'locked',
      },
    ]);
    await handler(batch(record(queuedPush('e1'), 'm1')));
    expect(moved).toEqual([['m1', 600]]);
  });

  it('spaces posts to one owner by 60/budget seconds and settles before returning', async () => {
    const { handler, clock } = withRetry([]);
    await handler(
      batch(record(queuedPush('e1'), 'm1'), record(queuedPush('e2'), 'm2'), record(queuedPush('e3'), 'm3')),
    );
    expect(clock()).toBe(9000); // posts at 0, 3 s and 6 s, then one spacing before returning
  });
});

describe('sender counters', () => {
  it('counts delivered, retried and dead-lettered per source', async () => {
    const counters = memoryCounters();
    const answers: DeliveryResult[] = [
      { ok: true, status: 204 },
      transient,
      { ok: false, transient: false, throttled: false, status: 404, message: 'gone' },
    ];
    const handler = createSenderHandler({
      secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: URL_WITH_TOKEN }),
      previewWhenUnset: false,
      format: formatEvent,
      deliver: async () => answers.shift() ?? { ok: true, status: 204 },
      preview: () => undefined,
      deadLetter: async () => undefined,
      counters,
      log: recordingLog().log,
    });
    await handler(
      batch(
        record(queuedPush('e1'), 'm1', 'g1'),
        record(queuedPush('e2'), 'm2', 'g2'),
        record(queuedPush('e3'), 'm3', 'g3'),
      ),
    );
    expect(counters.snapshot()).toEqual({
      delivered: { github: 1 },
      retried: { github: 1 },
      dead_lettered: { github: 1 },
    });
  });

  it('says why a record failed when the failure is not Cliq’s (secrets, the state table), and backs it off with its group', async () => {
    const { delivered, recorder } = setup([]);
    const moved: [string, number][] = [];
    const failing = createSenderHandler({
      secrets: () => Promise.reject(new Error('AccessDeniedException: not allowed')),
      previewWhenUnset: false,
      format: formatEvent,
      deliver: async () => ({ ok: true, status: 204 }),
      preview: () => undefined,
      deadLetter: async () => undefined,
      changeVisibility: async (r, seconds) => {
        moved.push([r.messageId, seconds]);
      },
      retry: { baseSeconds: 10, maxSeconds: 900, lockSeconds: 600 },
      log: recorder.log,
    });
    const response = await failing(batch(record(queuedPush('e1'), 'm1'), record(queuedPush('e2'), 'm2')));
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['m1', 'm2']);
    expect(delivered).toEqual([]);
    const said = recorder.lines.filter((line) => line.level === 'error');
    expect(said).toHaveLength(1);
    expect(said[0]?.message).toMatch(/failed unexpectedly/);
    expect(said[0]?.extra[0]).toMatchObject({
      messageId: 'm1',
      detail: 'AccessDeniedException: not allowed',
    });
    // the first receive's backoff (5–10 s), not the queue's 18-minute visibility timeout, for both records
    const [first, second] = moved;
    expect(first?.[0]).toBe('m1');
    expect(first?.[1]).toBeGreaterThanOrEqual(5);
    expect(first?.[1]).toBeLessThanOrEqual(10);
    expect(second).toEqual(['m2', first?.[1]]);
  });

  it('does not log a retry the policy chose as unexpected', async () => {
    const { handler, recorder } = setup([transient]);
    await handler(batch(record(queuedPush('e1'), 'm1')));
    expect(recorder.lines.some((line) => /unexpectedly/.test(line.message))).toBe(false);
    expect(recorder.lines.some((line) => line.message === 'delivery failed, will retry')).toBe(true);
  });
});
