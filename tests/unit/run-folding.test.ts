import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import type { VigilEvent } from '../../lib/event/model';
import { toOutbound } from '../../lib/queue/message';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { memoryStateStore } from '../../lib/state/memory-store';
import { runPart, workflowRun } from '../helpers/conversation-events';
import { channelUrl, type FakePost, fakeCliq } from '../helpers/fake-cliq';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

/**
 * One GitHub Actions run arrives as several webhooks in any order: the check suite names only its suite id,
 * a job only its run id, the workflow run both (docs.github.com, "Webhook events and payloads": check_suite,
 * workflow_job, workflow_run). Whatever comes first, the run posts once in the channel.
 */
const sender = () => {
  const cliq = fakeCliq();
  const store = memoryStateStore();
  const handler = createSenderHandler({
    secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: channelUrl('ops') }),
    previewWhenUnset: false,
    format: formatEvent,
    deliver: cliq.deliver,
    preview: () => undefined,
    deadLetter: async () => undefined,
    state: store,
    log: recordingLog().log,
  });
  let n = 0;
  const send = (event: VigilEvent) =>
    handler({
      Records: [
        sqsRecord(toOutbound(event, { channel: 'default', owner: 'cliq-a' }).body, `m${++n}`) as SQSRecord,
      ],
    });
  return { cliq, store, send };
};

/** What shows in the channel: top-level posts and replies also posted in the channel. */
const inChannel = (posts: readonly FakePost[]) =>
  posts.filter((post) => !post.thread || post.message.post_in_parent === true);

const SHA = 'c0ffee1';
const partsOfRun = (runId: number, checkSuiteId: number, workflow = 'CI', jobsNameWorkflow = true) => ({
  run: workflowRun(`run-${runId}`, 'failure', { runId, checkSuiteId, workflow, headSha: SHA }),
  failedJob: runPart(`job-${runId}-a`, 'workflow_job', 'failure', {
    runId,
    headSha: SHA,
    name: 'test',
    ...(jobsNameWorkflow ? { workflow } : {}),
  }),
  passedJob: runPart(`job-${runId}-b`, 'workflow_job', 'success', {
    runId,
    headSha: SHA,
    name: 'lint',
    ...(jobsNameWorkflow ? { workflow } : {}),
  }),
  failedCheck: runPart(`check-${runId}-a`, 'check_run', 'failure', {
    runId,
    checkSuiteId,
    headSha: SHA,
    name: 'test',
  }),
  passedCheck: runPart(`check-${runId}-b`, 'check_run', 'success', {
    runId,
    checkSuiteId,
    headSha: SHA,
    name: 'lint',
  }),
  suite: runPart(`suite-${checkSuiteId}`, 'check_suite', 'failure', { checkSuiteId, headSha: SHA }),
});

describe('one GitHub Actions run, one post in the channel', () => {
  it.each([
    ['suite, job, run', ['suite', 'failedJob', 'run']],
    ['job, suite, run', ['failedJob', 'suite', 'run']],
    ['run, suite, job', ['run', 'suite', 'failedJob']],
    ['suite, run, job', ['suite', 'run', 'failedJob']],
  ] as const)('posts a failed run once, its other parts in its thread (%s)', async (_name, order) => {
    const { cliq, send } = sender();
    const parts = partsOfRun(500, 900);
    for (const part of order) await send(parts[part]);
    expect(inChannel(cliq.posts)).toHaveLength(1);
    const card = cliq.posts[0]?.messageId;
    for (const reply of cliq.posts.slice(1)) expect(reply.message.thread_message_id).toBe(card);
  });

  it('keeps two workflows of one commit apart: each run posts its own card', async () => {
    const { cliq, send } = sender();
    const ci = partsOfRun(500, 900, 'CI');
    const lint = partsOfRun(501, 901, 'Lint');
    for (const event of [ci.failedJob, lint.failedJob, lint.run, ci.run]) await send(event);
    const posts = inChannel(cliq.posts);
    expect(posts).toHaveLength(2);
    const [first, second] = posts;
    // each run's result replies in its own job's card
    const results = cliq.posts.filter((post) => post.thread);
    expect(results.map((post) => post.message.thread_message_id).sort()).toEqual(
      [first?.messageId, second?.messageId].sort(),
    );
  });

  it('posts a failed run once in the channel and everything else in its thread, whatever the order of its six webhooks', async () => {
    const names = Object.keys(partsOfRun(500, 900)) as (keyof ReturnType<typeof partsOfRun>)[];
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(names, { minLength: names.length, maxLength: names.length }),
        fc.boolean(),
        async (order, jobsNameWorkflow) => {
          const { cliq, store, send } = sender();
          const parts = partsOfRun(500, 900, 'CI', jobsNameWorkflow);
          for (const name of order) await send(parts[name]);
          const shown = inChannel(cliq.posts);
          expect(shown).toHaveLength(1);
          const card = shown[0];
          expect(card?.thread).toBe(false);
          for (const post of cliq.posts.filter((other) => other !== card)) {
            expect(post.thread).toBe(true);
            expect(post.message.thread_message_id).toBe(card?.messageId);
          }
          // every webhook was handled once: posted, replied, or recorded as folded (unchanged)
          for (const name of order)
            expect((await store.getDelivery('default', parts[name].id))?.state).toMatch(
              /^(delivered|unchanged)$/,
            );
        },
      ),
      { numRuns: 200 },
    );
  });
});
