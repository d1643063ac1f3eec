import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import type { CliqMessage } from '../../lib/cliq/message';
import { subjectOf } from '../../lib/conversation/subject';
import { Pacer } from '../../lib/delivery/pacer';
import { orderKey } from '../../lib/delivery/plan';
import type { VigilEvent } from '../../lib/event/model';
import { memoryCounters } from '../../lib/metrics';
import { loadOutbox } from '../../lib/outbox/outbox';
import { runTicks } from '../../lib/outbox/ticker';
import { DEAD_LETTER_REASONS, type DeadLetterReason } from '../../lib/queue/dead-letter';
import { toOutbound } from '../../lib/queue/message';
import { tickBody } from '../../lib/queue/tick';
import { createEngineHandler } from '../../lib/sender/engine';
import { deliveryKey } from '../../lib/sender/ledger';
import { memoryStateStore } from '../../lib/state/memory-store';
import { memoryOutboxStore } from '../../lib/state/outbox-store';
import { alertGroup, pullRequest, push, workflowRun } from '../helpers/conversation-events';
import { fakeCliq } from '../helpers/fake-cliq';
import { FAULTS, faultyOutboxStore, faultyStore } from '../helpers/faulty-store';
import { recordingLog } from '../helpers/log';
import { cliqSenderDeps } from '../helpers/posting-sender';
import { sqsRecord } from '../helpers/sqs-record';

/**
 * The outbox's paths under the same DynamoDB faults as tests/unit/sender-faults.test.ts: the append of a
 * batch, the flush a tick or a partial batch starts (card by card, or as summaries when more wait than the
 * posts one call may send), the release of held events, a failed flush that keeps its events with their
 * tries counted, and every chunk write, head write, delete and index write in between. SQS is modelled as
 * the AWS Lambda Developer Guide describes a FIFO event source ("Using Lambda with Amazon SQS"): a record
 * reported failed comes back at its group's head with its receive count up, and one received
 * `maxReceiveCount` times goes to the DLQ by the redrive policy; the schedule ticks every minute.
 */

const OWNER = 'cliq-a';
const START = Date.parse('2026-11-23T12:00:00.000Z');

type Template = (id: string, run: number) => VigilEvent;

/** Alert groups of one service: a warning or critical firing, then resolved. */
const alert = (id: string, status: 'firing' | 'resolved', severity: 'warning' | 'critical'): VigilEvent => {
  const event = alertGroup(id, status, status === 'firing' ? 1 : 0, status === 'resolved' ? 1 : 0);
  return status === 'firing' ? { ...event, severity } : event;
};

/** Events over every path: a pull request's card and replies, one workflow's CI streak, pushes, alerts. */
const TEMPLATES: Template[] = [
  (id) => pullRequest(id, 1, 'opened'),
  (id) => pullRequest(id, 1, 'synchronize'),
  (id) => pullRequest(id, 1, 'merged'),
  (id, run) => workflowRun(id, 'failure', { runId: run }),
  (id, run) => workflowRun(id, 'failure', { runId: run }),
  (id, run) => workflowRun(id, 'success', { runId: run }),
  (id) => push(id),
  (id) => alert(id, 'firing', 'warning'),
  (id) => alert(id, 'firing', 'critical'),
  (id) => alert(id, 'resolved', 'warning'),
];

const scenario = fc.record({
  steps: fc.array(
    fc.record({
      template: fc.nat(TEMPLATES.length - 1),
      /** Held for this many minutes (quiet hours, a digest period), or not held. */
      hold: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 3 }),
    }),
    { minLength: 1, maxLength: 16 },
  ),
  /** How many events arrive before each receive. */
  waves: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
  batchSize: fc.integer({ min: 1, max: 6 }),
  maxPosts: fc.integer({ min: 2, max: 3 }),
  digestAfter: fc.integer({ min: 2, max: 3 }),
  maxReceiveCount: fc.integer({ min: 2, max: 4 }),
  threadsRefused: fc.boolean(),
  faults: fc.array(fc.record({ at: fc.nat(160), fault: fc.constantFrom(...FAULTS) }), { maxLength: 8 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** What Cliq shows, as the event tokens are found in it: the text (less its follow-up line) and the rest. */
const searchable = ({ text, ...rest }: CliqMessage): string =>
  `${text
    .split('\n')
    .filter((line) => !line.startsWith('↪'))
    .join('\n')} ${JSON.stringify(rest)}`;

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/** Runs the engine over `scenario`'s events as SQS and the schedule would, then redrives the DLQ. */
const run = async (input: Scenario) => {
  let clock = START;
  const now = () => clock;
  const sleep = async (ms: number) => {
    clock += ms;
  };
  const events = input.steps.flatMap(({ template }, index) => {
    const token = `evt${String(index).padStart(4, '0')}`;
    const event = TEMPLATES[template]?.(token, index + 1);
    return event === undefined ? [] : [{ ...event, title: `${event.title} ${token}` }];
  });
  const bodies = events.map((event, index) => {
    const minutes = input.steps[index]?.hold ?? null;
    return toOutbound(event, {
      channel: 'default',
      owner: OWNER,
      ...(minutes === null ? {} : { hold: { until: START + minutes * 60_000, why: 'quiet hours' } }),
    }).body;
  });
  const planned = new Map(input.faults.map(({ at, fault }) => [at, fault]));
  const memory = memoryStateStore(now);
  const outbox = memoryOutboxStore();
  // a fault in a few calls, so that DynamoDB recovers within the sender's retries of a write
  const faulty = faultyStore(memory, (call) => planned.get(call), { most: { faults: 4, within: 250 } });
  const faultyOutbox = faultyOutboxStore(outbox, faulty.next);
  const cliq = fakeCliq({ forbidThreads: input.threadsRefused ? ['ops'] : [] });
  const deadLettered: { body: string; why: DeadLetterReason }[] = [];
  const counters = memoryCounters();
  const queue: { record: SQSRecord; receives: number }[] = [];
  let ids = 0;
  const enqueue = (body: string) =>
    void queue.push({ record: sqsRecord(body, `q${++ids}`, OWNER), receives: 0 });
  const handler = createEngineHandler(
    {
      ...cliqSenderDeps(cliq),
      deadLetter: async (record, why) => void deadLettered.push({ body: record.body, why }),
      state: faulty.store,
      maxReceiveCount: input.maxReceiveCount,
      digestAfter: input.digestAfter,
      counters,
      pacer: new Pacer(20, now, sleep),
      now,
      sleep,
      log: recordingLog().log,
    },
    {
      store: faultyOutbox,
      queueTick: async (owner) => enqueue(tickBody(owner)),
      maxPosts: input.maxPosts,
      batchSize: input.batchSize,
    },
  );
  const redriven: string[] = [];
  /** Receives until the queue is empty and nothing waits, the schedule ticking each idle minute. */
  const drain = async (arrivals: string[]) => {
    for (let turn = 0; turn < 2000; turn++) {
      const wave = input.waves[turn % input.waves.length] ?? 1;
      for (const body of arrivals.splice(0, wave)) enqueue(body);
      if (queue.length === 0) {
        if (arrivals.length > 0) continue;
        if ((await loadOutbox(outbox, OWNER)).entries.length === 0) return;
        clock += 60_000;
        await runTicks({
          store: faultyOutbox,
          tick: async (owner) => enqueue(tickBody(owner)),
          now,
          log: recordingLog().log,
        }).catch(() => undefined);
        continue;
      }
      const batch: typeof queue = [];
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        if (next.receives >= input.maxReceiveCount) redriven.push(next.record.body);
        else batch.push({ record: next.record, receives: next.receives + 1 });
        if (batch.length === input.batchSize) break;
      }
      if (batch.length === 0) continue;
      const response = await handler({
        Records: batch.map(({ record, receives }) => ({
          ...record,
          attributes: { ...record.attributes, ApproximateReceiveCount: String(receives) },
        })),
      });
      const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      queue.unshift(...batch.filter(({ record }) => failed.has(record.messageId)));
      clock += 1_000;
    }
    throw new Error('the outbox never emptied');
  };
  await drain([...bodies]);
  const postsBeforeRedrive = cliq.posts.length;
  // the DLQ's messages, dead-lettered with a reason or moved by the redrive policy, are redriven until none is left
  const dead = new Set<string>();
  for (let round = 0; round < 5 && deadLettered.length + redriven.length > 0; round++) {
    const letters = [...deadLettered.map((letter) => letter.body), ...redriven].filter(
      (body) => !body.includes('"tick"'),
    );
    for (const body of letters) dead.add(body);
    for (const { why } of deadLettered) expect(DEAD_LETTER_REASONS).toContain(why.reason);
    deadLettered.length = 0;
    redriven.length = 0;
    await drain(letters);
  }
  return { events, bodies, memory, outbox, cliq, counters, dead, postsBeforeRedrive };
};

const tokensIn = (text: string) => new Set(text.match(/evt\d{4}/g) ?? []).size;

/** The property's claims about one run. */
const check = async (input: Scenario): Promise<void> => {
  const { events, bodies, memory, outbox, cliq, counters, dead, postsBeforeRedrive } = await run(input);
  expect(counters.snapshot().state_write_failed).toBeUndefined();
  const texts = cliq.posts.map((post) => searchable(post.message));
  const where = (token: string) =>
    texts.flatMap((text, post) => (text.includes(token) ? [{ post, at: text.indexOf(token) }] : []));

  // none posted twice, in a card or a summary, and none lost: posted once, or recorded as changing nothing
  for (const event of events) {
    const token = event.title.slice(-7);
    const ledger = await memory.getDelivery('default', deliveryKey(event));
    expect({ token, posts: where(token).length }).toEqual({
      token,
      posts: ledger?.state === 'unchanged' ? 0 : 1,
    });
  }
  expect((await loadOutbox(outbox, OWNER)).entries).toEqual([]);

  // each conversation's events (a pull request's, a workflow's runs, an alert group's) reach Cliq in
  // arrival order (cards, then places inside a card), but for what went through the DLQ, which a
  // redrive posts after the rest
  const last = new Map<string, { post: number; at: number }>();
  for (const [index, event] of events.entries()) {
    const [place] = where(event.title.slice(-7));
    if (place === undefined || dead.has(bodies[index] ?? '') || place.post >= postsBeforeRedrive) continue;
    const key = subjectOf(event)?.key ?? orderKey(event);
    const before = last.get(key);
    const inOrder =
      before === undefined ||
      place.post > before.post ||
      (place.post === before.post && place.at > before.at);
    expect({ key, before, place, inOrder }).toEqual({ key, before, place, inOrder: true });
    last.set(key, place);
  }

  // a CI streak's text counts the runs before it: "Still failing (Nth…)", "Fixed after N failed runs"
  if (dead.size === 0) {
    let failing = 0;
    for (const event of events) {
      const facts = event.facts as { type?: string; conclusion?: string };
      if (facts.type !== 'run') continue;
      const before = failing;
      failing = facts.conclusion === 'failure' ? failing + 1 : 0;
      const shown = where(event.title.slice(-7));
      const text = shown.length === 1 ? (texts[shown[0]?.post ?? -1] ?? '') : '';
      if (tokensIn(text) !== 1) continue;
      const still = /Still failing \((\d+\w\w) run in a row\)/.exec(text)?.[1];
      const fixed = /Fixed after (\d+) failed run/.exec(text)?.[1];
      if (still !== undefined)
        expect({ token: event.title.slice(-7), still }).toEqual({
          token: event.title.slice(-7),
          still: ordinal(failing),
        });
      if (fixed !== undefined)
        expect({ token: event.title.slice(-7), fixed: Number(fixed) }).toEqual({
          token: event.title.slice(-7),
          fixed: before,
        });
    }
  }
};

describe('the outbox under DynamoDB faults, received again and again as SQS would', () => {
  it('posts no event twice, loses none, keeps each subject in order and counts streaks right', async () => {
    await fc.assert(fc.asyncProperty(scenario, check), { numRuns: 200 });
  });

  const once = {
    waves: [1],
    batchSize: 1,
    maxPosts: 2,
    digestAfter: 2,
    maxReceiveCount: 2,
    threadsRefused: false,
  };
  // the cases the property found, kept as they shrank
  it.each([
    {
      why: 'a head write that timed out once applied: the batch retried, its event not taken in twice (and lost)',
      input: { ...once, steps: [{ template: 0, hold: 1 }], faults: [{ at: 2, fault: 'applied' as const }] },
    },
    {
      why: 'an index write that never came before the record went to the DLQ: the schedule still ticks for it',
      input: {
        ...once,
        steps: [{ template: 0, hold: null }],
        faults: [
          { at: 2, fault: 'raced' as const },
          { at: 3, fault: 'throttled' as const },
        ],
      },
    },
    {
      why: 'a pull request held, then one not held: the later waits behind the earlier',
      input: {
        ...once,
        steps: [
          { template: 0, hold: 1 },
          { template: 0, hold: null },
        ],
        faults: [],
      },
    },
    {
      why: 'a warning held, its resolve, then a critical firing: read in that order in one summary',
      input: {
        ...once,
        digestAfter: 3,
        steps: [
          { template: 7, hold: 1 },
          { template: 9, hold: null },
          { template: 8, hold: null },
          { template: 0, hold: null },
        ],
        faults: [],
      },
    },
    {
      why: 'a run failing again after "Still failing" and "Fixed" replies in one digest: posted after them',
      input: {
        ...once,
        steps: [
          { template: 3, hold: null },
          { template: 0, hold: 1 },
          { template: 3, hold: null },
          { template: 5, hold: null },
          { template: 3, hold: null },
          { template: 0, hold: null },
        ],
        faults: [],
      },
    },
  ])('$why', async ({ input }) => {
    await check(input);
  });
});
