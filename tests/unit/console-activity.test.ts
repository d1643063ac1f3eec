import type { SQSRecord } from 'aws-lambda';
import type { CliqMessage } from '../../lib/cliq/message';
import type { VigilEvent } from '../../lib/event/model';
import type { SenderDeps } from '../../lib/sender/deps';
import { Activity, eventKey } from '../../tools/local/console/activity';
import { observeBatches, observeSender } from '../../tools/local/console/observe';
import { recordingLog } from '../helpers/log';

const event = (id: string) =>
  ({
    v: 1,
    id,
    source: 'github',
    kind: 'github.push',
    subject: { name: 'acme/api' },
    title: `push ${id}`,
  }) as VigilEvent;
const decision = {
  destinations: [{ channel: 'ops', mention: [] }],
  matched: ['pushes'],
  decidedBy: 'pushes',
  dropped: false,
};
const card: CliqMessage = { text: 'push' };
const record = (id: string, messageId = `m-${id}`): SQSRecord =>
  ({
    messageId,
    body: JSON.stringify({ v: 1, channel: 'ops', event: event(id) }),
    attributes: {},
  }) as SQSRecord;

const deliveryOf = (activity: Activity, id: string) =>
  activity.entries().find((entry) => entry.id === id)?.deliveries[0];

describe('Activity', () => {
  it('shows when a held event will post while it waits, and through a retry', () => {
    const activity = new Activity();
    const held = 'held (quiet-hours until 07:00 Europe/Berlin): posts at 2026-12-08 07:00 Europe/Berlin';
    activity.routed(event('h'), decision, [{ channel: 'ops', message: card, held }]);
    activity.queued(eventKey(event('h')), 'ops');
    expect(deliveryOf(activity, 'h')).toMatchObject({ state: 'queued', held });
    activity.retrying(eventKey(event('h')), 'ops', 5, '503');
    expect(deliveryOf(activity, 'h')).toMatchObject({ state: 'retrying', held });
  });

  it('tells subscribers of each change, newest revision last', () => {
    let clock = 1_000;
    const activity = new Activity(200, () => clock);
    const seen: string[] = [];
    activity.subscribe((entry) => seen.push(entry.deliveries[0]?.state ?? ''));
    activity.routed(event('a'), decision, [{ channel: 'ops', message: card }]);
    activity.queued(eventKey(event('a')), 'ops');
    clock += 250;
    activity.delivered(eventKey(event('a')), 'ops', { preview: false, messageId: '1599_1' });
    expect(seen).toEqual(['routed', 'queued', 'delivered']);
    expect(deliveryOf(activity, 'a')).toMatchObject({
      state: 'delivered',
      latencyMs: 250,
      messageId: '1599_1',
    });
  });

  it('counts retries and keeps the next attempt and the last error', () => {
    const activity = new Activity(200, () => Date.parse('2026-11-23T12:00:00Z'));
    activity.routed(event('a'), decision, [{ channel: 'ops', message: card }]);
    activity.retrying(eventKey(event('a')), 'ops', 10, '503 down');
    activity.retrying(eventKey(event('a')), 'ops', 20, '503 still down');
    expect(deliveryOf(activity, 'a')).toMatchObject({
      state: 'retrying',
      attempts: 2,
      nextAttemptAt: '2026-11-23T12:00:20.000Z',
      lastError: '503 still down',
    });
  });

  it('links a thread reply to its parent by the parent’s Cliq message id', () => {
    const activity = new Activity();
    activity.routed(event('parent'), decision, [{ channel: 'ops', message: card }]);
    activity.routed(event('reply'), decision, [{ channel: 'ops', message: card }]);
    activity.delivered(eventKey(event('parent')), 'ops', { preview: false, messageId: '1599_1' });
    activity.delivered(eventKey(event('reply')), 'ops', {
      preview: false,
      message: { text: 'reply', thread_message_id: '1599_1' },
    });
    expect(deliveryOf(activity, 'reply')?.threadOf).toBe('1599_1');
  });

  it('keeps the newest events within its limit', () => {
    const activity = new Activity(2);
    for (const id of ['a', 'b', 'c']) activity.routed(event(id), decision, []);
    expect(activity.entries().map((entry) => entry.id)).toEqual(['c', 'b']);
  });
});

describe('observeSender', () => {
  const deps = (overrides: Partial<SenderDeps> = {}): SenderDeps =>
    ({
      deliver: async () => ({ ok: true, status: 200, messageId: '1599_7' }),
      deadLetter: async () => undefined,
      preview: () => undefined,
      log: recordingLog().log,
      ...overrides,
    }) as unknown as SenderDeps;

  it('reports a delivery with the message posted and Cliq’s id, from the sender’s own log line', async () => {
    const activity = new Activity();
    activity.routed(event('a'), decision, [{ channel: 'ops', message: card }]);
    const observed = observeSender(deps(), activity);
    const posted: CliqMessage = { text: 'push a {@oncall}' };
    await observed.deliver('https://cliq.example/x?zapikey=secret', posted);
    observed.log.info('delivered', { eventId: 'a', source: 'github', channel: 'ops' });
    expect(deliveryOf(activity, 'a')).toMatchObject({
      state: 'delivered',
      message: posted,
      messageId: '1599_7',
    });
  });

  it('reports a CI run that changed nothing as unchanged with its reason, not as the post before it', async () => {
    const activity = new Activity();
    for (const id of ['fixed', 'green'])
      activity.routed(event(id), decision, [{ channel: 'ops', message: card }]);
    const observed = observeSender(deps(), activity);
    await observed.deliver('https://cliq.example/x', { text: 'fixed' });
    observed.log.info('delivered', { eventId: 'fixed', source: 'github', channel: 'ops' });
    const reason = 'success after success: workflow CI on main was already passing';
    observed.log.info('unchanged: nothing posted', {
      eventId: 'green',
      source: 'github',
      channel: 'ops',
      reason,
    });
    observed.log.info('delivered', { eventId: 'green', source: 'github', channel: 'ops' });
    expect(deliveryOf(activity, 'green')).toMatchObject({ state: 'unchanged', reason, message: card });
  });

  it('leaves an event the ledger already had as it was, without the previous event’s post', async () => {
    const activity = new Activity();
    for (const id of ['a', 'b']) {
      activity.routed(event(id), decision, [{ channel: 'ops', message: card }]);
      activity.queued(eventKey(event(id)), 'ops');
    }
    const observed = observeSender(deps(), activity);
    await observed.deliver('https://cliq.example/x', { text: 'a' });
    observed.log.info('delivered', { eventId: 'a', source: 'github', channel: 'ops' });
    observed.log.info('already delivered (ledger): not posted again', {
      eventId: 'b',
      source: 'github',
      channel: 'ops',
    });
    observed.log.info('delivered', { eventId: 'b', source: 'github', channel: 'ops' });
    expect(deliveryOf(activity, 'b')).toMatchObject({ state: 'queued', message: card });
  });

  it('reports a dead letter with its reason, never a token', async () => {
    const activity = new Activity();
    activity.routed(event('a'), decision, [{ channel: 'ops', message: card }]);
    await observeSender(deps(), activity).deadLetter(record('a'), {
      reason: 'cliq_rejected',
      status: 400,
      code: 'input_invalid',
      detail: 'bad url https://cliq.example/x?zapikey=secret',
    });
    expect(deliveryOf(activity, 'a')).toMatchObject({
      state: 'dead_lettered',
      reason: 'cliq_rejected',
      detail: '400 input_invalid: bad url https://cliq.example/x?zapikey=[redacted]',
    });
  });
});

describe('observeBatches', () => {
  it('marks the records a digest covered as digested once the batch is done', async () => {
    const activity = new Activity();
    for (const id of ['a', 'b', 'c']) {
      activity.routed(event(id), decision, [{ channel: 'ops', message: card }]);
      activity.queued(eventKey(event(id)), 'ops');
    }
    const handler = observeBatches(async () => {
      activity.digested(eventKey(event('a')), 'ops', { text: '3 events' });
      return { batchItemFailures: [{ itemIdentifier: 'm-c' }] };
    }, activity);
    await handler({ Records: [record('a'), record('b'), record('c')] });
    expect(['a', 'b', 'c'].map((id) => deliveryOf(activity, id)?.state)).toEqual([
      'digested',
      'digested',
      'queued',
    ]);
  });
});
