import { count, list, str } from '../../util/json';
import { defined } from '../../util/object';
import { httpUrlOf } from '../../util/url';
import { commitsOf, type Parts, refOf, ZERO_SHA } from './common';

/** Pushes, tag pushes and releases. */
export const push = (payload: unknown, isTag: boolean): Parts => {
  const { ref, refType } = refOf(str(payload, 'ref'), isTag);
  const before = str(payload, 'before') ?? '';
  const after = str(payload, 'after') ?? '';
  const deleted = ZERO_SHA.test(after);
  const created = ZERO_SHA.test(before) && !deleted;
  const total = count(payload, 'total_commits_count') ?? list(payload, 'commits').length;
  const what = refType === 'tag' ? `tag ${ref ?? ''}` : (ref ?? '');
  return {
    title: deleted
      ? `deleted ${what}`
      : created && (refType === 'tag' || total === 0)
        ? `created ${what}`
        : `pushed to ${what}: ${total} commit${total === 1 ? '' : 's'}`,
    outcome: 'none',
    severity: deleted && refType === 'branch' ? 'warning' : undefined,
    url: httpUrlOf(str(payload, 'project', 'web_url')),
    branch: refType === 'branch' ? ref : undefined,
    actorLed: true,
    action: undefined,
    facts: defined({
      ref,
      refType,
      sha: after.slice(0, 12),
      commitCount: total,
      commits: commitsOf(payload),
    }),
  };
};

export const release = (payload: unknown): Parts => {
  const action = str(payload, 'action');
  return {
    title: `${action === 'create' ? 'released' : `${action ?? 'updated'} release`} ${str(payload, 'name') ?? str(payload, 'tag') ?? ''}`,
    outcome: 'none',
    url: httpUrlOf(str(payload, 'url')),
    action,
    facts: defined({
      ref: str(payload, 'tag'),
      refType: 'tag' as const,
      name: str(payload, 'name'),
      text: str(payload, 'description'),
    }),
  };
};
