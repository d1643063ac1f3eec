import { LIMITS } from '../../event/fields';
import { str } from '../../util/json';
import { clip } from '../../util/text';
import type { GithubContext, GithubParts } from './common';

/** create and delete: a branch or tag appeared or went away. */
export const normalizeRef = ({ payload, event }: GithubContext): GithubParts => {
  const refType = str(payload, 'ref_type') ?? 'ref';
  const ref = str(payload, 'ref') ?? '';
  const action = event === 'delete' ? 'deleted' : 'created';
  return {
    title: `${action} ${refType} ${ref}`,
    actorLed: true,
    outcome: 'none',
    severity: action === 'deleted' && refType === 'branch' ? 'warning' : 'info',
    url: str(payload, 'repository', 'html_url'),
    branch: refType === 'branch' ? ref : undefined,
    facts: { type: 'ref', action, refType: refType.slice(0, LIMITS.state), ref: clip(ref, LIMITS.name) },
  };
};
