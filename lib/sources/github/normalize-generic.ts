import { LIMITS } from '../../event/fields';
import { str } from '../../util/json';
import { optional } from '../../util/object';
import type { GithubContext, GithubParts } from './common';

/** Any event without a dedicated normalizer still becomes a readable, routable event instead of a failure. */
export const normalizeGeneric = ({ payload, action, event }: GithubContext): GithubParts => {
  const name = event.replace(/_/g, ' ');
  return {
    title: `${name}${action === undefined ? '' : ` ${action.replace(/_/g, ' ')}`}`,
    outcome: 'none',
    severity: 'info',
    url: str(payload, 'repository', 'html_url') ?? str(payload, 'organization', 'html_url'),
    facts: {
      type: 'generic',
      event: event.slice(0, LIMITS.eventName),
      ...optional('action', action?.slice(0, LIMITS.action)),
    },
  };
};
