import { LIMITS, type Outcome, type Severity } from '../../event/fields';
import { at, bool, count, list, num, str } from '../../util/json';
import { clip, firstLine } from '../../util/text';
import { httpUrlOf } from '../alerting/normalize';
import type { GitlabEvent, GitlabFacts } from './facts';

const OUTCOME: Readonly<Record<string, Outcome>> = {
  success: 'success',
  failed: 'failure',
  canceled: 'cancelled',
  cancelled: 'cancelled',
  skipped: 'skipped',
  running: 'pending',
  pending: 'pending',
  created: 'pending',
  waiting_for_resource: 'pending',
  preparing: 'pending',
  scheduled: 'pending',
  manual: 'neutral',
};
const VERB: Readonly<Record<string, string>> = {
  success: 'succeeded',
  failed: 'failed',
  canceled: 'was canceled',
  running: 'is running',
  pending: 'is pending',
};
const ZERO_SHA = /^0+$/;

const PRODUCTION = /^prod(uction)?\b/i;

interface Parts {
  readonly title: string;
  readonly outcome: Outcome;
  readonly severity?: Severity | undefined;
  readonly url: string | undefined;
  readonly branch?: string | undefined;
  readonly environment?: string | undefined;
  readonly labels?: readonly string[];
  readonly actorLed?: boolean;
  readonly action?: string | undefined;
  readonly facts: Omit<GitlabFacts, 'type' | 'objectKind' | 'commits' | 'failedJobs'> &
    Partial<Pick<GitlabFacts, 'commits' | 'failedJobs'>>;
}

const defined = <T extends object>(record: T): T =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== '')) as T;

const refOf = (
  ref: string | undefined,
  isTag: boolean,
): { ref: string | undefined; refType: 'branch' | 'tag' } => {
  if (ref?.startsWith('refs/tags/')) return { ref: ref.slice(10), refType: 'tag' };
  if (ref?.startsWith('refs/heads/')) return { ref: ref.slice(11), refType: 'branch' };
  return { ref, refType: isTag ? 'tag' : 'branch' };
};

const commitsOf = (payload: unknown) =>
  list(payload, 'commits')
    .slice(-LIMITS.commits)
    .map((commit) => ({
      sha: (str(commit, 'id') ?? '').slice(0, 12),
      message: clip(firstLine(str(commit, 'title') ?? str(commit, 'message') ?? ''), LIMITS.shortText),
      author: clip(str(commit, 'author', 'name') ?? 'unknown', LIMITS.name),
      ...(httpUrlOf(str(commit, 'url')) === undefined
        ? {}
        : { url: httpUrlOf(str(commit, 'url')) as string }),
    }));

const pipeline = (payload: unknown): Parts => {
  const attributes = at(payload, 'object_attributes');
  const status = str(attributes, 'status');
  const { ref, refType } = refOf(str(attributes, 'ref'), bool(attributes, 'tag'));
  const name = str(attributes, 'name') ?? `Pipeline #${num(attributes, 'id') ?? ''}`;
  const failedJobs = list(payload, 'builds')
    .filter((build) => str(build, 'status') === 'failed' && !bool(build, 'allow_failure'))
    .map((build) =>
      clip(
        `${str(build, 'stage') ?? ''}/${str(build, 'name') ?? 'job'}${str(build, 'failure_reason') ? ` (${str(build, 'failure_reason')})` : ''}`,
        LIMITS.shortText,
      ),
    )
    .slice(0, LIMITS.steps);
  return {
    title: `${name} ${VERB[status ?? ''] ?? status ?? 'updated'}${ref === undefined ? '' : ` on ${ref}`}`,
    outcome: OUTCOME[status ?? ''] ?? 'none',
    url: httpUrlOf(str(attributes, 'url')),
    branch: refType === 'branch' ? ref : undefined,
    action: status,
    facts: defined({
      status,
      ref,
      refType,
      sha: str(attributes, 'sha')?.slice(0, 12),
      number: count(attributes, 'id'),
      name,
      durationSeconds: count(attributes, 'duration'),
      failedJobs,
      text: str(payload, 'commit', 'title') ?? str(payload, 'commit', 'message'),
    }),
  };
};

const job = (payload: unknown): Parts => {
  const status = str(payload, 'build_status');
  const { ref, refType } = refOf(str(payload, 'ref'), bool(payload, 'tag'));
  const name = str(payload, 'build_name') ?? 'job';
  const homepage = httpUrlOf(str(payload, 'repository', 'homepage') ?? str(payload, 'project', 'web_url'));
  const id = count(payload, 'build_id');
  const allowed = bool(payload, 'build_allow_failure');
  return {
    title: `Job ${name} ${VERB[status ?? ''] ?? status ?? 'updated'}${ref === undefined ? '' : ` on ${ref}`}`,
    outcome: status === 'failed' && allowed ? 'neutral' : (OUTCOME[status ?? ''] ?? 'none'),
    url: homepage === undefined || id === undefined ? homepage : `${homepage}/-/jobs/${id}`,
    branch: refType === 'branch' ? ref : undefined,
    action: status,
    facts: defined({
      status,
      ref,
      refType,
      sha: str(payload, 'sha')?.slice(0, 12),
      number: id,
      name,
      stage: str(payload, 'build_stage'),
      failureReason: status === 'failed' ? str(payload, 'build_failure_reason') : undefined,
      durationSeconds: count(payload, 'build_duration'),
    }),
  };
};

const deployment = (payload: unknown): Parts => {
  const status = str(payload, 'status');
  const environment = str(payload, 'environment');
  const outcome = OUTCOME[status ?? ''] ?? 'none';
  return {
    title: `Deployment to ${environment ?? 'an environment'} ${VERB[status ?? ''] ?? status ?? 'updated'}${str(payload, 'ref') ? ` (${str(payload, 'ref')})` : ''}`,
    outcome,
    severity:
      outcome === 'failure'
        ? environment !== undefined &&
          (PRODUCTION.test(environment) || str(payload, 'environment_tier') === 'production')
          ? 'critical'
          : 'error'
        : undefined,
    url: httpUrlOf(str(payload, 'deployable_url')) ?? httpUrlOf(str(payload, 'project', 'web_url')),
    environment,
    action: status,
    facts: defined({
      status,
      ref: str(payload, 'ref'),
      sha: str(payload, 'short_sha'),
      number: count(payload, 'deployment_id'),
      name: environment,
      text: str(payload, 'commit_title'),
      environmentUrl: httpUrlOf(str(payload, 'environment_external_url')),
    }),
  };
};

const mergeRequest = (payload: unknown): Parts => {
  const attributes = at(payload, 'object_attributes');
  const action = str(attributes, 'action') ?? (str(attributes, 'state') === 'merged' ? 'merge' : undefined);
  const iid = count(attributes, 'iid');
  const verb: Record<string, string> = {
    open: 'opened',
    close: 'closed',
    reopen: 'reopened',
    update: 'updated',
    merge: 'merged',
    approved: 'approved',
    unapproved: 'unapproved',
  };
  return {
    title: `${verb[action ?? ''] ?? action ?? 'updated'} !${iid ?? ''}: ${str(attributes, 'title') ?? ''}`,
    outcome: action === 'merge' ? 'success' : 'none',
    url: httpUrlOf(str(attributes, 'url')),
    branch: str(attributes, 'target_branch'),
    labels: list(payload, 'labels')
      .map((label) => str(label, 'title'))
      .filter((t): t is string => t !== undefined)
      .slice(0, LIMITS.labels)
      .map((t) => clip(t, 100)),
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

const push = (payload: unknown, isTag: boolean): Parts => {
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

const release = (payload: unknown): Parts => {
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

const severityOf = (outcome: Outcome): Severity =>
  outcome === 'failure' ? 'error' : outcome === 'cancelled' ? 'warning' : 'info';
const kindPart = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .slice(0, 40) || 'unknown';

/** One GitLab hook as Vigil's event; `event` is the X-Gitlab-Event header. Total: unknown hooks normalize generically. */
export const normalizeGitlab = (
  payload: Record<string, unknown>,
  event: string,
  id: string,
  receivedAt: string,
): GitlabEvent => {
  const objectKind =
    str(payload, 'object_kind') ?? str(payload, 'event_name') ?? kindPart(event.replace(/ hook$/i, ''));
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
            key === 'text' ? LIMITS.body : key === 'status' ? 40 : key === 'sha' ? 64 : LIMITS.shortText,
          )
        : value,
    ]),
  ) as typeof rest;
  return {
    v: 1,
    id: clip(id, LIMITS.id),
    source: 'gitlab',
    kind: `gitlab.${kindPart(kind)}${parts.action === undefined ? '' : `.${kindPart(parts.action)}`}`,
    occurredAt: receivedAt,
    receivedAt,
    severity: parts.severity ?? severityOf(parts.outcome),
    outcome: parts.outcome,
    subject: {
      name: clip(project, LIMITS.name),
      ...(httpUrlOf(str(payload, 'project', 'web_url')) === undefined
        ? {}
        : { url: httpUrlOf(str(payload, 'project', 'web_url')) as string }),
    },
    ...(actor === undefined
      ? {}
      : { actor: { name: clip(actor, LIMITS.name), bot: /bot$|\[bot\]$/i.test(actor) } }),
    title: clip(
      `${parts.actorLed && actor !== undefined ? `${actor} ` : ''}${parts.title}`.replace(/\s+/g, ' ').trim(),
      LIMITS.title,
    ),
    ...(parts.url === undefined ? {} : { url: parts.url }),
    ...(parts.branch === undefined ? {} : { branch: clip(parts.branch, LIMITS.name) }),
    ...(str(payload, 'project', 'default_branch') === undefined
      ? {}
      : { defaultBranch: clip(str(payload, 'project', 'default_branch') ?? '', LIMITS.name) }),
    ...(parts.environment === undefined ? {} : { environment: clip(parts.environment, LIMITS.name) }),
    labels: [...(parts.labels ?? [])],
    facts: { type: 'gitlab', objectKind: objectKind.slice(0, 40), ...clipped, commits, failedJobs },
  };
};
