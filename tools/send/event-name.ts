import type { Source } from '../../lib/event/model';

/**
 * X-Gitlab-Event for each `object_kind` GitLab puts in the body, as GitLab's webhook events reference names them
 * (docs.gitlab.com/user/project/integrations/webhook_events): a job's object_kind is `build`.
 */
const GITLAB_HOOKS: Readonly<Record<string, string>> = {
  push: 'Push Hook',
  tag_push: 'Tag Push Hook',
  issue: 'Issue Hook',
  note: 'Note Hook',
  merge_request: 'Merge Request Hook',
  wiki_page: 'Wiki Page Hook',
  pipeline: 'Pipeline Hook',
  build: 'Job Hook',
  deployment: 'Deployment Hook',
  feature_flag: 'Feature Flag Hook',
  release: 'Release Hook',
  emoji: 'Emoji Hook',
};

export type EventName =
  | { readonly kind: 'named'; readonly name: string }
  /** The source also sends requests without the header (Sentry's legacy WebHooks plugin). */
  | { readonly kind: 'none' }
  | { readonly kind: 'required' };

/**
 * The event header's value for a plain payload sent without `--event`: read from the body where the source
 * names the event there too (GitLab's object_kind), none where the source also sends without it, and
 * otherwise required (GitHub names its event only in X-GitHub-Event).
 */
export const eventNameOf = (source: Source, payload: unknown): EventName => {
  if (source === 'sentry') return { kind: 'none' };
  if (source === 'gitlab' && typeof payload === 'object' && payload !== null) {
    const kind = (payload as Record<string, unknown>).object_kind;
    const hook =
      typeof kind === 'string' && Object.hasOwn(GITLAB_HOOKS, kind) ? GITLAB_HOOKS[kind] : undefined;
    if (hook !== undefined) return { kind: 'named', name: hook };
  }
  return { kind: 'required' };
};
