import type { SourceEvents } from '../source';
import { GithubEvent } from './facts';
import { formatGithub } from './format';
import { githubSubject } from './subject';

/** GitHub's events as the sender sees them (lib/sources/events.ts lists every source's). */
export const githubEvents: SourceEvents<GithubEvent> = {
  schema: GithubEvent,
  format: formatGithub,
  subject: githubSubject,
};
