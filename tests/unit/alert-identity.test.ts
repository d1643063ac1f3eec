import type { SQSRecord } from 'aws-lambda';
import type { VigilEvent } from '../../lib/event/model';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { ingestFor } from '../helpers/ingest';
import { postingSender } from '../helpers/posting-sender';
import { sourceEvent } from '../helpers/sources';
import { sqsRecord } from '../helpers/sqs-record';

const ZERO = '0001-01-01T00:00:00Z';

interface AlertState {
  readonly fingerprint: string;
  readonly status: 'firing' | 'resolved';
  readonly endsAt?: string;
  readonly value?: string;
}

/** An Alertmanager (v4) or Grafana (v1) notification for one group, with one entry per alert. */
const notification = (source: 'alertmanager' | 'grafana', alerts: readonly AlertState[]) =>
  JSON.stringify({
    version: source === 'alertmanager' ? '4' : '1',
    receiver: 'vigil',
    status: alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved',
    groupKey: '{}/{severity="critical"}:{alertname="DiskFull"}',
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull', severity: 'critical', service: 'storage' },
    commonAnnotations: { summary: 'disk almost full' },
    externalURL: 'http://alertmanager.example:9093',
    alerts: alerts.map((alert) => ({
      status: alert.status,
      labels: { alertname: 'DiskFull', severity: 'critical', instance: `${alert.fingerprint}.example` },
      annotations: {},
      startsAt: '2026-11-23T10:00:00Z',
      endsAt: alert.endsAt ?? ZERO,
      fingerprint: alert.fingerprint,
      ...(alert.value === undefined ? {} : { valueString: alert.value }),
    })),
  });

/** What one notification becomes on the queue: its event and SQS deduplication id. */
const enqueue = async (source: 'alertmanager' | 'grafana', body: string) => {
  const { call, queued } = ingestFor(source);
  expect((await call(sourceEvent(source, body))).status).toBe(202);
  const [message] = queued;
  if (message === undefined) throw new Error('nothing queued');
  const parsed = parseQueuedMessage(message.body);
  if (!parsed.ok) throw new Error(parsed.error);
  return { deduplicationId: message.deduplicationId, event: parsed.value.event, body: message.body };
};

const bothFiring: AlertState[] = [
  { fingerprint: 'a1', status: 'firing' },
  { fingerprint: 'b2', status: 'firing' },
];
const oneResolved: AlertState[] = [
  { fingerprint: 'a1', status: 'firing' },
  { fingerprint: 'b2', status: 'resolved', endsAt: '2026-11-23T10:20:00Z' },
];

// SQS FIFO: a message whose MessageDeduplicationId was sent within the last 5 minutes is accepted but not
// delivered (Amazon SQS Developer Guide, "Exactly-once processing" / SendMessage MessageDeduplicationId).
describe.each(['alertmanager', 'grafana'] as const)('the identity of a %s notification', (source) => {
  it('is new when one alert resolves while the group still fires, so SQS does not drop the update', async () => {
    const first = await enqueue(source, notification(source, bothFiring));
    const update = await enqueue(source, notification(source, oneResolved));
    expect(update.event.kind).toBe(`${source}.alert.firing`);
    expect(update.event.id).not.toBe(first.event.id);
    expect(update.deduplicationId).not.toBe(first.deduplicationId);
  });

  it('is new when an alert resolves again at another time', async () => {
    const earlier = await enqueue(
      source,
      notification(source, [{ fingerprint: 'a1', status: 'resolved', endsAt: '2026-11-23T10:20:00Z' }]),
    );
    const later = await enqueue(
      source,
      notification(source, [{ fingerprint: 'a1', status: 'resolved', endsAt: '2026-11-23T11:05:00Z' }]),
    );
    expect(later.deduplicationId).not.toBe(earlier.deduplicationId);
  });

  it('is the same for a repeat of the same state, even with new values, so SQS posts it once', async () => {
    const first = await enqueue(
      source,
      notification(source, [
        { fingerprint: 'a1', status: 'firing', value: 'used=91%' },
        { fingerprint: 'b2', status: 'firing', value: 'used=93%' },
      ]),
    );
    const repeat = await enqueue(
      source,
      notification(source, [
        { fingerprint: 'b2', status: 'firing', value: 'used=94%' },
        { fingerprint: 'a1', status: 'firing', value: 'used=92%' },
      ]),
    );
    expect(repeat.event.id).toBe(first.event.id);
    expect(repeat.deduplicationId).toBe(first.deduplicationId);
  });
});

describe('a repeat reminder in the sender', () => {
  const sender = () => postingSender();
  const batch = (...records: SQSRecord[]) => ({ Records: records });

  it('posts a later reminder of the same state, which arrives as a new SQS message, in a warm container', async () => {
    const { body } = await enqueue('alertmanager', notification('alertmanager', bothFiring));
    const { handler, posted } = sender();
    await handler(batch(sqsRecord(body, 'first-notification')));
    // repeat_interval later: SQS's deduplication window has passed, so the same state is a new message
    await handler(batch(sqsRecord(body, 'reminder')));
    expect(posted).toHaveLength(2);
  });

  it('does not post again an SQS message that SQS delivers a second time', async () => {
    const { body } = await enqueue('alertmanager', notification('alertmanager', bothFiring));
    const { handler, posted } = sender();
    await handler(batch(sqsRecord(body, 'm1')));
    // a redelivery keeps the message id and gets a new receipt handle and receive count
    const again = sqsRecord(body, 'm1');
    await handler(
      batch({
        ...again,
        receiptHandle: 'r-m1-second',
        attributes: { ...again.attributes, ApproximateReceiveCount: '2' },
      }),
    );
    expect(posted).toHaveLength(1);
  });

  it('posts the resolution of one alert after the group first fired', async () => {
    const first = await enqueue('alertmanager', notification('alertmanager', bothFiring));
    const update = await enqueue('alertmanager', notification('alertmanager', oneResolved));
    const { handler, posted } = sender();
    await handler(batch(sqsRecord(first.body, 'm1')));
    await handler(batch(sqsRecord(update.body, 'm2')));
    expect(posted).toHaveLength(2);
    expect((update.event as VigilEvent & { facts: { resolvedCount: number } }).facts.resolvedCount).toBe(1);
  });
});
