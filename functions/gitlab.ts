import { gitlab } from '../lib/sources/gitlab/adapter';
import { webhookHandler } from '../lib/wiring/ingest';

/** POST /webhooks/gitlab: check X-Gitlab-Token → normalize → enqueue. */
export const handler = webhookHandler(gitlab);
