import { envelope } from '../../event/envelope';
import { kindSegment, LIMITS, type Outcome, type Severity } from '../../event/fields';
import { str } from '../../util/json';
import { clip } from '../../util/text';
import { httpUrlOf } from '../../util/url';
import type { Parts } from './common';
import type { GitlabEvent } from './facts';
import { job, pipeline } from './normalize-ci';
import { deployment } from './normalize-deployment';
import { mergeRequest } from './normalize-merge-request';
import { push, release } from './normalize-push';

const severityOf = (outcome: Outcome): Severity =>
  outcome === 'failure' ? 'error' : outcome === 'cancelled' ? 'warning' : 'info';

/** One GitLab hook as Vigil's event; `event` is the X-Gitlab-Event header. Total: unknown hooks normalize generically. */
export const normalizeGitlab = (
  payload: Record<string, unknown>,
  event: string,
  id: string,
  receivedAt: string,
): GitlabEvent => {
  const objectKind =
    str(payload, 'object_kind') ?? str(payload, 'event_name') ?? kindSegment(event.replace(/ hook$/i, ''));
  const parts: Parts =
    objectKind === 'pipeline'
      ? pipeline(payload)
      : objectKind === 'build'
        ? job(payload)
        : objectKind === 'deployment'
          ? deployment(payload)
          : objectKind === 'merge_request'
            ? mergeRequest(payload)
            : objectKind === 'push' || objectKind === 'tag_push'
              ? push(payload, objectKind === 'tag_push')
              : objectKind === 'release'
                ? release(payload)
                : {
                    title: `${event || objectKind}`,
                    outcome: 'none',
                    url: httpUrlOf(str(payload, 'project', 'web_url')),
                    action: str(payload, 'object_attributes', 'action'),
                    facts: {},
                  };
  const project =
    str(payload, 'project', 'path_with_namespace') ??
    str(payload, 'project_name') ??
    str(payload, 'repository', 'name') ??
    'GitLab';
  const actor =
    str(payload, 'user', 'username') ??
    str(payload, 'user_username') ??
    str(payload, 'user', 'name') ??
    str(payload, 'user_name');
  const kind = objectKind === 'build' ? 'job' : objectKind;
  const { commits = [], failedJobs = [], ...rest } = parts.facts;
  const clipped = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [
      key,
      typeof value === 'string' && !key.endsWith('Url')
        ? clip(
            value,
            key === 'text'
              ? LIMITS.body
              : key === 'status'
                ? LIMITS.state
                : key === 'sha'
                  ? LIMITS.sha
                  : LIMITS.shortText,
          )
        : value,
    ]),
  ) as typeof rest;
  return envelope('gitlab', {
    id,
    kind: `${kindSegment(kind)}${parts.action === undefined ? '' : `.${kindSegment(parts.action)}`}`,
    receivedAt,
    severity: parts.severity ?? severityOf(parts.outcome),
    outcome: parts.outcome,
    subject: { name: project, url: httpUrlOf(str(payload, 'project', 'web_url')) },
    actor: actor === undefined ? undefined : { name: actor, bot: /bot$|\[bot\]$/i.test(actor) },
    title: `${parts.actorLed && actor !== undefined ? `${actor} ` : ''}${parts.title}`
      .replace(/\s+/g, ' ')
      .trim(),
    url: parts.url,
    branch: parts.branch,
    defaultBranch: str(payload, 'project', 'default_branch'),
    environment: parts.environment,
    labels: parts.labels,
    facts: { type: 'gitlab', objectKind: objectKind.slice(0, LIMITS.state), ...clipped, commits, failedJobs },
  });
};
