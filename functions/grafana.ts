import { grafana } from '../lib/sources/grafana/adapter';
import { webhookHandler } from '../lib/wiring/ingest';

/** POST or PUT /webhooks/grafana: authenticate → normalize → enqueue. */
export const handler = webhookHandler(grafana);
