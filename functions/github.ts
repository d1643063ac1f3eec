import { github } from '../lib/sources/github/adapter';
import { webhookHandler } from '../lib/wiring/ingest';

/** POST /webhooks/github: verify → normalize → enqueue. */
export const handler = webhookHandler(github);
