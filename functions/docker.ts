import { docker } from '../lib/sources/docker/adapter';
import { webhookHandler } from '../lib/wiring/ingest';

/** POST /webhooks/docker: Docker Hub pushes and forwarded container events → normalize → enqueue. */
export const handler = webhookHandler(docker);
