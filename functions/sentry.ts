import { sentry } from '../lib/sources/sentry/adapter';
import { webhookHandler } from '../lib/wiring/ingest';

/** POST /webhooks/sentry: verify (signature or legacy URL token) → normalize → enqueue. */
export const handler = webhookHandler(sentry);
