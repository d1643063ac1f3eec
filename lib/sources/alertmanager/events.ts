import { alertGroupDeliveryKey } from '../shared/alerting/delivery-key';
import type { SourceEvents } from '../source';
import { AlertmanagerEvent } from './facts';
import { formatAlertmanager } from './format';
import { alertmanagerSubject } from './subject';

/** Alertmanager's events as the sender sees them (lib/sources/events.ts lists every source's). */
export const alertmanagerEvents: SourceEvents<AlertmanagerEvent> = {
  schema: AlertmanagerEvent,
  format: formatAlertmanager,
  subject: alertmanagerSubject,
  deliveryKey: alertGroupDeliveryKey,
  alertGroup: (event) => event.facts,
};
