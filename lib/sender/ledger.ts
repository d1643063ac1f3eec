import { subjectOf } from '../conversation/subject';
import type { VigilEvent } from '../event/model';
import type { DeliveryRecord, DeliveryState } from '../state/store';

/** The ledger's key for what an event is about: its conversation subject, or its source and subject name. */
export const ledgerSubject = (event: VigilEvent): string =>
  subjectOf(event)?.key ?? `${event.source}:${event.subject.name}`;

/**
 * The ledger's key for an event. Most ids name one delivery (GitHub's delivery id, Sentry's request id), so
 * the ledger posts it once for its lifetime. An alert group's id names its state instead (which alerts, in
 * which status), so that SQS's five-minute deduplication drops a notification sent twice; a reminder
 * Alertmanager sends after `repeat_interval` is that same state hours later, a new event that must reply in
 * the group's thread. Its receipt time tells them apart: every retry or redelivery of one queued message
 * carries the same body, and so the same receivedAt. A signed delivery's `identity` (its signed bytes) comes
 * first: a replay under a new id header is then the same event; a Grafana reminder signs a new timestamp.
 */
export const deliveryKey = (event: VigilEvent): string =>
  event.identity ?? (event.facts.type === 'alert_group' ? `${event.id}@${event.receivedAt}` : event.id);

export const ledgerRecord = (
  channel: string,
  event: VigilEvent,
  state: DeliveryState,
  context: {
    attempts: number;
    now: number;
    messageId?: string | undefined;
    threadMessageId?: string | undefined;
    reason?: string;
  },
): DeliveryRecord => ({
  channel,
  eventId: deliveryKey(event),
  source: event.source,
  kind: event.kind,
  subject: ledgerSubject(event),
  title: event.title,
  state,
  attempts: context.attempts,
  receivedAt: event.receivedAt,
  recordedAt: new Date(context.now).toISOString(),
  latencyMs: Math.max(0, context.now - Date.parse(event.receivedAt)),
  ...(context.messageId === undefined ? {} : { messageId: context.messageId }),
  ...(context.threadMessageId === undefined ? {} : { threadMessageId: context.threadMessageId }),
  ...(context.reason === undefined ? {} : { reason: context.reason }),
});
