import { at, count, list, str } from '../../util/json';
import { defined, lookupTable } from '../../util/object';
import { httpUrlOf } from '../../util/url';
import type { Parts } from './common';

export const mergeRequest = (payload: unknown): Parts => {
  const attributes = at(payload, 'object_attributes');
  const action = str(attributes, 'action') ?? (str(attributes, 'state') === 'merged' ? 'merge' : undefined);
  const iid = count(attributes, 'iid');
  const verb = lookupTable<string>({
    open: 'opened',
    close: 'closed',
    reopen: 'reopened',
    update: 'updated',
    merge: 'merged',
    approved: 'approved',
    unapproved: 'unapproved',
  });
  return {
    title: `${verb[action ?? ''] ?? action ?? 'updated'} !${iid ?? ''}: ${str(attributes, 'title') ?? ''}`,
    outcome: action === 'merge' ? 'success' : 'none',
    url: httpUrlOf(str(attributes, 'url')),
    branch: str(attributes, 'target_branch'),
    labels: list(payload, 'labels')
      .map((label) => str(label, 'title'))
      .filter((t): t is string => t !== undefined),
    actorLed: true,
    action: action === 'merge' ? 'merged' : action,
    facts: defined({
      status: str(attributes, 'state'),
      number: iid,
      sourceBranch: str(attributes, 'source_branch'),
      targetBranch: str(attributes, 'target_branch'),
      text: action === 'open' ? str(attributes, 'description') : undefined,
    }),
  };
};
