/**
 * The ledger's key for an alert group (when it carries no signed identity). Most sources' ids name one
 * delivery (GitHub's delivery id, Sentry's request id), so the ledger posts it once for its lifetime. An alert
 * group's id names its state instead (which alerts, in which status), so that SQS's five-minute deduplication
 * drops a notification sent twice; a reminder Alertmanager sends after `repeat_interval` is that same state
 * hours later, a new event that must reply in the group's thread. Its receipt time tells them apart: every
 * retry or redelivery of one queued message carries the same body, and so the same receivedAt.
 */
export const alertGroupDeliveryKey = (event: { readonly id: string; readonly receivedAt: string }): string =>
  `${event.id}@${event.receivedAt}`;
