import type { VigilEvent } from '../../lib/event/model';
import { toOutbound } from '../../lib/queue/message';
import { normalizeGithub } from '../../lib/sources/github/normalize';
import { octokitExample } from '../../tools/harness/github';

/** GitHub's documented push to master, normalized as ingest does it, under delivery id `id`. */
export const githubPush = (id: string): VigilEvent =>
  normalizeGithub({
    event: 'push',
    payload: octokitExample('push', (p) => p.ref === 'refs/heads/master'),
    id,
    receivedAt: '2026-11-23T12:00:00.000Z',
  });

/** That push as the SQS message body ingest queues for the default channel (owner `cliq-a`). */
export const queuedPush = (id: string): string =>
  toOutbound(githubPush(id), { channel: 'default', owner: 'cliq-a' }).body;
