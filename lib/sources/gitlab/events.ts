import type { SourceEvents } from '../source';
import { GitlabEvent } from './facts';
import { formatGitlab } from './format';
import { gitlabSubject } from './subject';

/** GitLab's events as the sender sees them (lib/sources/events.ts lists every source's). */
export const gitlabEvents: SourceEvents<GitlabEvent> = {
  schema: GitlabEvent,
  format: formatGitlab,
  subject: gitlabSubject,
};
