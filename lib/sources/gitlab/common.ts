import { LIMITS, type Outcome, type Severity } from '../../event/fields';
import { list, str } from '../../util/json';
import { lookupTable } from '../../util/object';
import { clip, firstLine } from '../../util/text';
import { httpUrlOf } from '../../util/url';
import type { GitlabFacts } from './facts';

/** What every GitLab family normalizer shares. */
export const OUTCOME = lookupTable<Outcome>({
  success: 'success',
  failed: 'failure',
  canceled: 'cancelled',
  cancelled: 'cancelled',
  skipped: 'skipped',
  running: 'pending',
  pending: 'pending',
  created: 'pending',
  waiting_for_resource: 'pending',
  preparing: 'pending',
  scheduled: 'pending',
  manual: 'neutral',
});
export const VERB = lookupTable<string>({
  success: 'succeeded',
  failed: 'failed',
  canceled: 'was canceled',
  running: 'is running',
  pending: 'is pending',
});
export const ZERO_SHA = /^0+$/;

export const PRODUCTION = /^prod(uction)?\b/i;

export interface Parts {
  readonly title: string;
  readonly outcome: Outcome;
  readonly severity?: Severity | undefined;
  readonly url: string | undefined;
  readonly branch?: string | undefined;
  readonly environment?: string | undefined;
  readonly labels?: readonly string[];
  readonly actorLed?: boolean;
  readonly action?: string | undefined;
  readonly facts: Omit<GitlabFacts, 'type' | 'objectKind' | 'commits' | 'failedJobs'> &
    Partial<Pick<GitlabFacts, 'commits' | 'failedJobs'>>;
}

export const refOf = (
  ref: string | undefined,
  isTag: boolean,
): { ref: string | undefined; refType: 'branch' | 'tag' } => {
  if (ref?.startsWith('refs/tags/')) return { ref: ref.slice(10), refType: 'tag' };
  if (ref?.startsWith('refs/heads/')) return { ref: ref.slice(11), refType: 'branch' };
  return { ref, refType: isTag ? 'tag' : 'branch' };
};

export const commitsOf = (payload: unknown) =>
  list(payload, 'commits')
    .slice(-LIMITS.commits)
    .map((commit) => ({
      sha: (str(commit, 'id') ?? '').slice(0, 12),
      message: clip(firstLine(str(commit, 'title') ?? str(commit, 'message') ?? ''), LIMITS.shortText),
      author: clip(str(commit, 'author', 'name') ?? 'unknown', LIMITS.name),
      ...(httpUrlOf(str(commit, 'url')) === undefined
        ? {}
        : { url: httpUrlOf(str(commit, 'url')) as string }),
    }));
