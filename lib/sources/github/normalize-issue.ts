import { LIMITS } from '../../event/fields';
import { at, count, str } from '../../util/json';
import { optional } from '../../util/object';
import { optionalText } from '../../util/text';
import { type GithubContext, type GithubParts, isoOrUndefined, labelNames } from './common';

/** issues and issue_comment (GitHub sends comments on pull requests as issue_comment too). */
export const normalizeIssue = ({ payload, action, event }: GithubContext): GithubParts => {
  const issue = at(payload, 'issue');
  const comment = event === 'issue_comment' ? at(payload, 'comment') : undefined;
  const number = count(issue, 'number') ?? 0;
  const isPullRequest = at(issue, 'pull_request') !== undefined;
  const noun = isPullRequest ? 'pull request' : 'issue';
  const verb =
    comment !== undefined
      ? `${action === 'created' ? 'commented' : `${action ?? 'changed'} a comment`} on`
      : `${action ?? 'updated'}`;
  const body =
    comment !== undefined ? str(comment, 'body') : action === 'opened' ? str(issue, 'body') : undefined;
  return {
    title: `${verb.replace(/_/g, ' ')} ${noun} #${number}: ${str(issue, 'title') ?? ''}`,
    actorLed: true,
    outcome: 'none',
    severity: 'info',
    url: str(comment, 'html_url') ?? str(issue, 'html_url'),
    occurredAt: isoOrUndefined(str(comment, 'updated_at') ?? str(issue, 'updated_at')),
    labels: labelNames(at(issue, 'labels')),
    facts: {
      type: 'issue',
      ...optional('action', action),
      number,
      ...optional('state', str(issue, 'state')?.slice(0, LIMITS.state)),
      isPullRequest,
      ...optional('body', optionalText(body, LIMITS.body)),
    },
  };
};
