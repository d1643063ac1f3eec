import { alertmanager } from '../lib/sources/alertmanager/adapter';
import { webhookHandler } from '../lib/wiring';

/** POST /webhooks/alertmanager: authenticate → normalize → enqueue. */
export const handler = webhookHandler(alertmanager);
