import { LIMITS } from '../../event/fields';
import { at, bool, count, list, str } from '../../util/json';
import { clip, firstLine } from '../../util/text';
import { httpUrlOf } from '../../util/url';
import {
  type GithubContext,
  type GithubParts,
  isoOrUndefined,
  optionalUrl,
  parseRef,
  shortSha,
} from './common';

const ZERO_SHA = /^0+$/;

export const normalizePush = ({ payload }: GithubContext): GithubParts => {
  const rawRef = str(payload, 'ref') ?? '';
  const { refType, name } = parseRef(rawRef);
  const before = str(payload, 'before') ?? '';
  const after = str(payload, 'after') ?? '';
  const created = bool(payload, 'created') || (ZERO_SHA.test(before) && !ZERO_SHA.test(after));
  const deleted = bool(payload, 'deleted') || ZERO_SHA.test(after);
  const forced = bool(payload, 'forced');
  const commits = list(payload, 'commits');
  const commitCount = Math.max(count(payload, 'size') ?? 0, commits.length);
  const what = refType === 'tag' ? `tag ${name}` : name;

  const verb = deleted
    ? 'deleted'
    : created
      ? refType === 'tag'
        ? 'created'
        : 'created branch'
      : forced
        ? 'force-pushed to'
        : 'pushed to';
  const plural = commitCount === 1 ? 'commit' : 'commits';
  const title =
    deleted || (created && commitCount === 0)
      ? `${verb} ${what}`
      : `${verb} ${what}: ${commitCount} ${plural}`;

  return {
    title,
    actorLed: true,
    outcome: 'none',
    severity: forced || (deleted && refType === 'branch') ? 'warning' : 'info',
    url: httpUrlOf(str(payload, 'compare')) ?? httpUrlOf(str(payload, 'repository', 'html_url')),
    branch: refType === 'branch' ? name : undefined,
    occurredAt: isoOrUndefined(at(payload, 'head_commit', 'timestamp')),
    kindSuffix: undefined,
    facts: {
      type: 'push',
      ref: clip(name, LIMITS.name),
      refType,
      created,
      deleted,
      forced,
      before: before.slice(0, LIMITS.sha),
      after: after.slice(0, LIMITS.sha),
      ...optionalUrl('compareUrl', str(payload, 'compare')),
      commitCount,
      // the newest commits matter most; GitHub lists them oldest first
      commits: commits.slice(-LIMITS.commits).map((commit) => ({
        sha: shortSha(str(commit, 'id')) ?? '',
        message: clip(firstLine(str(commit, 'message') ?? ''), LIMITS.shortText),
        author: clip(
          str(commit, 'author', 'username') ?? str(commit, 'author', 'name') ?? 'unknown',
          LIMITS.name,
        ),
        ...optionalUrl('url', str(commit, 'url')),
      })),
    },
  };
};
