import { LIMITS } from '../../event/fields';
import { at, bool, str } from '../../util/json';
import { optional } from '../../util/object';
import { clip, optionalText } from '../../util/text';
import { type GithubContext, type GithubParts, isoOrUndefined } from './common';

export const normalizeRelease = ({ payload, action }: GithubContext): GithubParts => {
  const release = at(payload, 'release');
  const tag = str(release, 'tag_name') ?? 'untagged';
  const name = str(release, 'name');
  const prerelease = bool(release, 'prerelease');
  return {
    title: `${(action ?? 'updated').replace(/_/g, ' ')} ${prerelease ? 'pre-release' : 'release'} ${name ?? tag}`,
    actorLed: true,
    outcome: 'none',
    severity: 'info',
    url: str(release, 'html_url'),
    occurredAt: isoOrUndefined(str(release, 'published_at') ?? str(release, 'created_at')),
    facts: {
      type: 'release',
      ...optional('action', action),
      tag: clip(tag, LIMITS.name),
      ...optional('name', optionalText(name, LIMITS.shortText)),
      prerelease,
      draft: bool(release, 'draft'),
      ...optional('body', optionalText(str(release, 'body'), LIMITS.body)),
    },
  };
};
