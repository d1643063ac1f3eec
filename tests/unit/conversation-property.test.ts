import fc from 'fast-check';
import { subjectOf } from '../../lib/conversation/subject';
import type { VigilEvent } from '../../lib/event/model';
import { toOutbound } from '../../lib/queue/message';
import { createSenderHandler } from '../../lib/sender/handler';
import { deliveryKey } from '../../lib/sender/ledger';
import { formatEvent } from '../../lib/sources/events';
import { memoryStateStore } from '../../lib/state/memory-store';
import {
  alertGroup,
  pullRequest,
  push,
  runPart,
  sentryIssue,
  workflowRun,
} from '../helpers/conversation-events';
import { tokensOf } from '../helpers/event-tokens';
import { channelUrl, fakeCliq } from '../helpers/fake-cliq';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

const CHANNELS = ['default', 'dev'] as const;
const CLIQ_CHANNEL: Record<string, string> = { default: 'ops', dev: 'dev' };

/** Events over several subjects; `run` picks the run id, which fixes the branch. */
const TEMPLATES: ((id: string, run: number) => VigilEvent)[] = [
  (id) => pullRequest(id, 1, 'opened'),
  (id) => pullRequest(id, 1, 'reviewed'),
  (id) => pullRequest(id, 1, 'merged'),
  (id) => pullRequest(id, 2, 'opened'),
  (id) => pullRequest(id, 2, 'closed'),
  (id, run) => workflowRun(id, 'failure', { runId: run, branch: `b${run % 2}` }),
  (id, run) => workflowRun(id, 'success', { runId: run, branch: `b${run % 2}` }),
  (id, run) => runPart(id, 'workflow_job', 'failure', { runId: run, workflow: 'CI', branch: `b${run % 2}` }),
  (id, run) => runPart(id, 'workflow_job', 'success', { runId: run, workflow: 'CI', branch: `b${run % 2}` }),
  (id) => alertGroup(id, 'firing', 2, 0, 'g1'),
  (id) => alertGroup(id, 'firing', 1, 1, 'g1'),
  (id) => alertGroup(id, 'resolved', 0, 2, 'g1'),
  (id) => alertGroup(id, 'firing', 1, 0, 'g2'),
  (id) => alertGroup(id, 'resolved', 0, 1, 'g2'),
  (id) => sentryIssue(id, 'created'),
  (id) => sentryIssue(id, 'resolved'),
  (id) => push(id),
];

/** The conversation an event belongs to: a CI part's is its workflow on its branch. */
const conversationOf = (event: VigilEvent): string => {
  const subject = subjectOf(event);
  return subject === undefined ? `none:${event.id}` : (subject.ciKey ?? subject.key);
};

const scenario = fc.record({
  steps: fc.array(
    fc.record({
      template: fc.nat(TEMPLATES.length - 1),
      run: fc.integer({ min: 1, max: 4 }),
      channel: fc.constantFrom(...CHANNELS),
      /** An earlier event redelivered (same id) instead of a new one. */
      redeliver: fc.option(fc.nat(), { freq: 5 }),
    }),
    { minLength: 1, maxLength: 40 },
  ),
  batchSizes: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 10 }),
  digestAfter: fc.integer({ min: 2, max: 6 }),
  forbidThreads: fc.subarray(['ops', 'dev']),
  omitIds: fc.subarray(['ops', 'dev']),
  containers: fc.integer({ min: 1, max: 3 }),
});

describe('conversations, for any interleaving of events over many subjects and channels', () => {
  it('every reply names its own subject’s parent in its own channel, and every event is delivered exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        async ({ steps, batchSizes, digestAfter, forbidThreads, omitIds, containers }) => {
          const cliq = fakeCliq({ forbidThreads, omitIds });
          const store = memoryStateStore();
          const deadLettered: string[] = [];
          // several containers share the store, as Lambda's do; each batch goes to one of them
          const handlers = Array.from({ length: containers }, () =>
            createSenderHandler({
              secrets: async () => ({
                ZOHO_CLIQ_WEBHOOK_URL: channelUrl('ops'),
                CLIQ_URL_DEV: channelUrl('dev'),
              }),
              previewWhenUnset: false,
              format: formatEvent,
              deliver: cliq.deliver,
              preview: () => undefined,
              deadLetter: async (record) => {
                deadLettered.push(record.messageId);
              },
              state: store,
              digestAfter,
              log: recordingLog().log,
            }),
          );
          const sent: { event: VigilEvent; channel: string }[] = [];
          steps.forEach((step, index) => {
            const earlier =
              step.redeliver === null || sent.length === 0 ? undefined : sent[step.redeliver % sent.length];
            if (earlier !== undefined) {
              sent.push(earlier);
              return;
            }
            const token = `evt${String(index).padStart(4, '0')}`;
            const event = TEMPLATES[step.template]?.(token, step.run);
            if (event === undefined) return;
            sent.push({ event: { ...event, title: `${event.title} ${token}` }, channel: step.channel });
          });
          const records = sent.map(({ event, channel }, index) =>
            sqsRecord(toOutbound(event, { channel, owner: 'cliq-a' }).body, `m${index}`),
          );
          let at = 0;
          let turn = 0;
          while (at < records.length) {
            const size = batchSizes[turn % batchSizes.length] ?? 1;
            const handler = handlers[turn % handlers.length];
            const response = await handler?.({ Records: records.slice(at, at + size) });
            expect(response?.batchItemFailures).toEqual([]);
            at += size;
            turn += 1;
          }
          expect(deadLettered).toEqual([]);

          const byToken = new Map(
            sent.map(({ event, channel }) => [event.title.slice(-7), { event, channel }]),
          );
          const byId = new Map(
            cliq.posts.flatMap((post) => (post.messageId === undefined ? [] : [[post.messageId, post]])),
          );
          for (const post of cliq.posts) {
            // every event in a message was sent to that message's channel
            for (const token of tokensOf(post.message))
              expect(CLIQ_CHANNEL[byToken.get(token)?.channel ?? '']).toBe(post.channel);
            if (!post.thread) continue;
            const parent = byId.get(post.message.thread_message_id ?? '');
            expect(parent?.channel).toBe(post.channel);
            const parentConversations = new Set(
              [...tokensOf(parent?.message ?? { text: '' })].map((token) =>
                conversationOf(byToken.get(token)?.event as VigilEvent),
              ),
            );
            for (const token of tokensOf(post.message))
              expect(parentConversations.has(conversationOf(byToken.get(token)?.event as VigilEvent))).toBe(
                true,
              );
          }

          const unique = new Map(
            sent.map(({ event, channel }) => [`${channel}\n${event.id}`, { event, channel }]),
          );
          for (const { event, channel } of unique.values()) {
            const carried = cliq.posts.filter(
              (post) => post.channel === CLIQ_CHANNEL[channel] && tokensOf(post.message).has(event.id),
            ).length;
            const ledger = await store.getDelivery(channel, deliveryKey(event));
            expect(ledger?.state).toBeDefined();
            expect(carried + (ledger?.state === 'unchanged' ? 1 : 0)).toBe(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
