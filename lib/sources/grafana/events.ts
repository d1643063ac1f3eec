import { alertGroupDeliveryKey } from '../shared/alerting/delivery-key';
import type { SourceEvents } from '../source';
import { GrafanaEvent } from './facts';
import { formatGrafana } from './format';
import { grafanaSubject } from './subject';

/** Grafana's events as the sender sees them (lib/sources/events.ts lists every source's). */
export const grafanaEvents: SourceEvents<GrafanaEvent> = {
  schema: GrafanaEvent,
  format: formatGrafana,
  subject: grafanaSubject,
  // a legacy alert's id names one delivery; an alert group's names its state
  deliveryKey: (event) => (event.facts.type === 'alert_group' ? alertGroupDeliveryKey(event) : event.id),
  alertGroup: (event) => (event.facts.type === 'alert_group' ? event.facts : undefined),
};
