import { LIMITS } from '../../event/fields';
import { at, bool, count, str } from '../../util/json';
import { optional } from '../../util/object';
import { optionalText } from '../../util/text';
import { type GithubContext, type GithubParts, isoOrUndefined, labelNames } from './common';

/** pull_request and pull_request_review. A closed PR is reported as `merged` when it was. */
export const normalizePullRequest = (ctx: GithubContext): GithubParts => {
  const { payload, action, event } = ctx;
  const pr = at(payload, 'pull_request');
  const number = count(pr, 'number') ?? count(payload, 'number') ?? 0;
  const prTitle = str(pr, 'title') ?? 'pull request';
  const merged = bool(pr, 'merged') || (action === 'closed' && str(pr, 'merged_at') !== undefined);
  const review = event === 'pull_request_review' ? at(payload, 'review') : undefined;
  const reviewState = str(review, 'state')?.toLowerCase();
  const effective = action === 'closed' && merged ? 'merged' : action;
  const verb =
    review !== undefined ? describeReview(reviewState, action) : (effective ?? 'updated').replace(/_/g, ' ');

  return {
    title: `${verb} #${number}: ${prTitle}`,
    actorLed: true,
    outcome:
      review !== undefined && reviewState === 'changes_requested'
        ? 'failure'
        : effective === 'merged'
          ? 'success'
          : 'none',
    severity: 'info',
    url: str(review, 'html_url') ?? str(pr, 'html_url'),
    branch: str(pr, 'base', 'ref'),
    occurredAt: isoOrUndefined(str(review, 'submitted_at') ?? str(pr, 'updated_at')),
    labels: labelNames(at(pr, 'labels')),
    kindSuffix: event === 'pull_request' ? effective : action,
    facts: {
      type: 'pull_request',
      ...(action === undefined ? {} : { action }),
      number,
      state: (str(pr, 'state') ?? 'unknown').slice(0, LIMITS.state),
      merged,
      draft: bool(pr, 'draft'),
      ...optional('headRef', optionalText(str(pr, 'head', 'ref'), LIMITS.name)),
      ...optional('baseRef', optionalText(str(pr, 'base', 'ref'), LIMITS.name)),
      ...optional('additions', count(pr, 'additions')),
      ...optional('deletions', count(pr, 'deletions')),
      ...optional('changedFiles', count(pr, 'changed_files')),
      ...optional('reviewState', reviewState?.slice(0, LIMITS.state)),
      ...optional('body', optionalText(str(review, 'body'), LIMITS.body)),
    },
  };
};

const describeReview = (state: string | undefined, action: string | undefined): string => {
  if (action === 'dismissed') return 'dismissed a review on';
  switch (state) {
    case 'approved':
      return 'approved';
    case 'changes_requested':
      return 'requested changes on';
    default:
      return 'reviewed';
  }
};
