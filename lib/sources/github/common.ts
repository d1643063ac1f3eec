import { envelope } from '../../event/envelope';
import { kindSegment, type Outcome, type Severity } from '../../event/fields';
import { at, isRecord, list, str } from '../../util/json';
import { isoFromEpoch, isoFromText } from '../../util/time';
import { httpUrlOf } from '../../util/url';
import type { GithubEvent, GithubFacts } from './facts';

export interface GithubContext {
  readonly event: string;
  readonly action: string | undefined;
  readonly payload: Record<string, unknown>;
  readonly id: string;
  readonly receivedAt: string;
}

/** What a family normalizer decides; the envelope's subject and actor come from `base`. */
export interface GithubParts {
  readonly title: string;
  readonly outcome: Outcome;
  readonly severity: Severity;
  readonly facts: GithubFacts;
  readonly url?: string | undefined;
  readonly branch?: string | undefined;
  readonly environment?: string | undefined;
  readonly occurredAt?: string | undefined;
  readonly labels?: readonly string[];
  /** The title is a verb phrase ("pushed to main") that reads as a sentence with the actor in front. */
  readonly actorLed?: boolean;
  /** Overrides the kind's last segment where the action alone misleads (a closed PR that was merged). */
  readonly kindSuffix?: string | undefined;
}

/** A date as GitHub sends it: ISO 8601, or epoch seconds (push payloads' repository timestamps). */
export const isoOrUndefined = (value: unknown): string | undefined =>
  typeof value === 'number'
    ? isoFromEpoch(value)
    : typeof value === 'string'
      ? isoFromText(value)
      : undefined;

export const shortSha = (value: string | undefined): string | undefined => value?.slice(0, 12);

export const isBotLogin = (login: string, type: string | undefined): boolean =>
  type === 'Bot' || login.endsWith('[bot]');

/** `refs/heads/main` → branch `main`; `refs/tags/v1` → tag `v1`. */
export const parseRef = (ref: string): { refType: 'branch' | 'tag'; name: string } => {
  if (ref.startsWith('refs/tags/')) return { refType: 'tag', name: ref.slice('refs/tags/'.length) };
  if (ref.startsWith('refs/heads/')) return { refType: 'branch', name: ref.slice('refs/heads/'.length) };
  return { refType: 'branch', name: ref };
};

export const labelNames = (value: unknown): string[] =>
  list(value)
    .map((label) => (isRecord(label) ? str(label, 'name') : typeof label === 'string' ? label : undefined))
    .filter((name): name is string => name !== undefined);

/** Builds the full event from the family's parts: subject from repository/organization, actor from sender. */
export const assemble = (ctx: GithubContext, parts: GithubParts): GithubEvent => {
  const { payload } = ctx;
  const repository = at(payload, 'repository');
  const organization = at(payload, 'organization');
  const sender = at(payload, 'sender');
  const login = str(sender, 'login');
  const subjectName =
    str(repository, 'full_name') ??
    str(organization, 'login') ??
    str(payload, 'installation', 'account', 'login') ??
    str(payload, 'enterprise', 'slug') ??
    'GitHub';
  const subjectUrl = httpUrlOf(str(repository, 'html_url') ?? str(organization, 'html_url'));
  const suffix = parts.kindSuffix ?? ctx.action;
  return envelope('github', {
    id: ctx.id,
    kind: `${kindSegment(ctx.event)}${suffix === undefined ? '' : `.${kindSegment(suffix)}`}`,
    occurredAt: parts.occurredAt,
    receivedAt: ctx.receivedAt,
    severity: parts.severity,
    outcome: parts.outcome,
    subject: { name: subjectName, url: subjectUrl || undefined },
    actor:
      login === undefined
        ? undefined
        : {
            name: login,
            bot: isBotLogin(login, str(sender, 'type')),
            url: httpUrlOf(str(sender, 'html_url')),
          },
    title: `${parts.actorLed && login !== undefined ? `${login} ` : ''}${parts.title}`
      .replace(/\s+/g, ' ')
      .trim(),
    url: httpUrlOf(parts.url),
    branch: parts.branch,
    defaultBranch: str(repository, 'default_branch'),
    environment: parts.environment,
    labels: parts.labels,
    facts: parts.facts,
  });
};

/** GitHub's conclusions (success, failure, timed_out, startup_failure…) mapped to Vigil's outcomes. */
export const outcomeOfConclusion = (conclusion: string | undefined, status?: string): Outcome => {
  switch (conclusion) {
    case 'success':
      return 'success';
    case 'failure':
    case 'timed_out':
    case 'startup_failure':
    case 'action_required':
    case 'error':
      return 'failure';
    case 'cancelled':
      return 'cancelled';
    case 'skipped':
    case 'stale':
      return 'skipped';
    case 'neutral':
      return 'neutral';
    case 'pending':
    case 'queued':
    case 'in_progress':
    case 'waiting':
      return 'pending';
    default:
      return status !== undefined && status !== 'completed' ? 'pending' : 'none';
  }
};

export const severityOf = (outcome: Outcome): Severity =>
  outcome === 'failure' ? 'error' : outcome === 'cancelled' ? 'warning' : 'info';

export const optionalUrl = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } => {
  const url = httpUrlOf(value);
  return (url === undefined ? {} : { [key]: url }) as { [P in K]?: string };
};
