import { grafana } from '../lib/sources/grafana/adapter';
import { webhookHandler } from '../lib/wiring';

/** POST or PUT /webhooks/grafana: authenticate → normalize → enqueue. */
export const handler = webhookHandler(grafana);
