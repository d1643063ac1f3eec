import type { SQSRecord } from 'aws-lambda';
import type { DeliveryResult } from '../../lib/cliq/deliver';
import type { CliqMessage } from '../../lib/cliq/message';
import { Pacer } from '../../lib/delivery/pacer';
import type { VigilEvent } from '../../lib/event/model';
import type { DeadLetterReason } from '../../lib/queue/dead-letter';
import { toOutbound } from '../../lib/queue/message';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { memoryStateStore } from '../../lib/state/memory-store';
import { push, sentryIssue, workflowRun } from '../helpers/conversation-events';
import { channelUrl, fakeCliq } from '../helpers/fake-cliq';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

/**
 * A sender whose Cliq refuses the messages `refuse` picks (once, or every time), counting its calls to Cliq; SQS
 * moves a record to the DLQ on its 25th receive.
 */
const setup = (refuse: (url: string, message: CliqMessage) => DeliveryResult | undefined, pacer?: Pacer) => {
  const cliq = fakeCliq();
  const store = memoryStateStore();
  const deadLettered: { messageId: string; why: DeadLetterReason }[] = [];
  let tries = 0;
  const handler = createSenderHandler({
    secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: channelUrl('ops') }),
    previewWhenUnset: false,
    format: formatEvent,
    deliver: async (url, message) => {
      tries += 1;
      return refuse(url, message) ?? cliq.deliver(url, message);
    },
    preview: () => undefined,
    deadLetter: async (record, why) => {
      deadLettered.push({ messageId: record.messageId, why });
    },
    state: store,
    digestAfter: 1,
    maxReceiveCount: 25,
    ...(pacer === undefined ? {} : { pacer }),
    log: recordingLog().log,
  });
  return { cliq, store, deadLettered, handler, tries: () => tries };
};

/** Cliq down for a moment: a 5xx is worth retrying (specs/zoho-cliq.md, Responses). */
const UNAVAILABLE: DeliveryResult = {
  ok: false,
  transient: true,
  throttled: false,
  status: 503,
  message: 'down',
};

let seq = 0;
const recordOf = (event: VigilEvent, receives = '1'): SQSRecord => {
  const record = sqsRecord(toOutbound(event, { channel: 'default', owner: 'cliq-a' }).body, `m${++seq}`);
  return { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: receives } };
};
const summary = (post: { thread: boolean; message: CliqMessage }) =>
  `${post.thread ? 'thread' : 'channel'}: ${post.message.text.split('\n').slice(0, 2).join(' | ')}`;

describe('a digest that fails half-way', () => {
  it('remembers only what it sent: the retry decides as if the unsent events never happened', async () => {
    let failNext = false;
    const { cliq, store, handler } = setup((url) => {
      if (!failNext || url.includes('/api/v3/')) return undefined;
      failNext = false;
      // SQS redelivers the item's records
      return UNAVAILABLE;
    });
    await handler({ Records: [recordOf(workflowRun('w0', 'failure', { runId: 10 }))] }); // CI starts failing
    const batch = [
      recordOf(workflowRun('w1', 'failure', { runId: 11 })), // still failing: a reply
      recordOf(workflowRun('w2', 'success', { runId: 12 })), // fixed: a reply
      recordOf(workflowRun('w3', 'failure', { runId: 13 })), // failing anew: a post
      recordOf(workflowRun('w4', 'failure', { runId: 14, workflow: 'Lint' })),
    ];
    failNext = true; // the thread's digest reply goes out, the channel's digest gets a 503
    const response = await handler({ Records: batch });
    expect(response.batchItemFailures.length).toBeGreaterThan(0);
    // the workflow is remembered as fixed (w2), not as failing again (w3, unsent)
    expect((await store.getConversation('default', 'github:acme/app:workflow:CI:main'))?.value).toMatchObject(
      {
        ci: { outcome: 'success', streak: 0 },
      },
    );

    const retried = batch.filter((record) =>
      response.batchItemFailures.some((failure) => failure.itemIdentifier === record.messageId),
    );
    for (const record of retried)
      await handler({
        Records: [{ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } }],
      });
    const shown = cliq.posts.map(summary);
    expect(shown.join('\n')).not.toMatch(/Still failing \(2nd/);
    expect(shown.slice(2)).toEqual([
      'channel: 🔴 acme/app: Workflow CI failed on main',
      'channel: 🔴 acme/app: Workflow Lint failed on main',
    ]);
  });
});

describe('a digest with a card Cliq refuses', () => {
  // Cliq answers 400 for a message it will never take (specs/zoho-cliq.md, Responses): no retry helps
  const refusal: DeliveryResult = {
    ok: false,
    transient: false,
    throttled: false,
    status: 400,
    code: 'input_invalid',
    message: 'the card is not valid',
  };

  it('dead-letters only the records of the refused card, each with its own kind, and posts the other card', async () => {
    const { cliq, store, deadLettered, handler } = setup((_url, message) =>
      message.text.includes('(part 1 of 2)') ? refusal : undefined,
    );
    // more than one card holds: the first 15 events go in part 1, the rest in part 2
    const events = [
      sentryIssue('s1', 'created'),
      ...Array.from({ length: 14 }, (_, i) => push(`p${i + 1}`)),
      push('p15'),
      push('p16'),
    ];
    const records = events.map((event) => recordOf(event));
    const response = await handler({ Records: records });

    expect(response.batchItemFailures).toEqual([]);
    expect(cliq.posts.map(summary)).toEqual([
      expect.stringMatching(/^channel: 📋 Digest: 2 events.*part 2 of 2/),
    ]);
    expect(deadLettered.map((dead) => dead.messageId)).toEqual(records.slice(0, 15).map((r) => r.messageId));
    expect(deadLettered[0]?.why).toMatchObject({ reason: 'cliq_rejected', kind: 'sentry.issue.created' });
    expect(deadLettered[1]?.why).toMatchObject({ reason: 'cliq_rejected', kind: 'github.push' });
    expect((await store.getDelivery('default', 's1'))?.state).toBe('dead_lettered');
    expect((await store.getDelivery('default', 'p14'))?.state).toBe('dead_lettered');
    expect((await store.getDelivery('default', 'p15'))?.state).toBe('digested');
    expect((await store.getDelivery('default', 'p16'))?.state).toBe('digested');
  });
});

describe('a digest led by a record on its last receive', () => {
  it('still dead-letters a digest whose records are all on their last receive, so the group goes on', async () => {
    const { deadLettered, handler } = setup(() => UNAVAILABLE);
    const records = [recordOf(push('x1'), '25'), recordOf(push('x2'), '25')];
    const response = await handler({ Records: records });
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered.map((d) => [d.messageId, d.why.reason])).toEqual(
      records.map((record) => [record.messageId, 'retries_exhausted']),
    );
  });

  it('does not dead-letter events received for the first time after a single 503', async () => {
    const { deadLettered, handler } = setup(() => UNAVAILABLE);
    const old = recordOf(push('old'), '25'); // has failed 24 times already
    const fresh = [recordOf(push('n1'), '1'), recordOf(push('n2'), '1')];
    const response = await handler({ Records: [old, ...fresh] });
    // a 5xx is worth retrying (specs/zoho-cliq.md): records on their first receive come back, not go to the
    // DLQ; the digest is retried whole, and SQS's redrive moves the old record on its next receive
    expect(deadLettered).toEqual([]);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      old.messageId,
      ...fresh.map((record) => record.messageId),
    ]);
  });

  it('never dead-letters a first-receive event that was not even tried because the owner is locked', async () => {
    const pacer = new Pacer(600);
    const { deadLettered, handler, tries } = setup(() => undefined, pacer);
    pacer.lock('cliq-a', 600);
    const old = recordOf(push('old2'), '25');
    const fresh = [recordOf(push('n3'), '1'), recordOf(push('n4'), '1')];
    await handler({ Records: [old, ...fresh] });
    expect(tries()).toBe(0);
    expect(deadLettered).toEqual([]);
  });
});
