import type { SourceEvents } from '../source';
import { GrafanaEvent } from './facts';
import { formatGrafana } from './format';
import { grafanaSubject } from './subject';

/** Grafana's events as the sender sees them (lib/sources/events.ts lists every source's). */
export const grafanaEvents: SourceEvents<GrafanaEvent> = {
  schema: GrafanaEvent,
  format: formatGrafana,
  subject: grafanaSubject,
};
