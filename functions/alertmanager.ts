import { alertmanager } from '../lib/sources/alertmanager/adapter';
import { webhookHandler } from '../lib/wiring/ingest';

/** POST /webhooks/alertmanager: authenticate → normalize → enqueue. */
export const handler = webhookHandler(alertmanager);
