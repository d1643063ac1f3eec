import { envelope } from '../../event/envelope';
import { kindSegment, LIMITS, type Outcome, type Severity } from '../../event/fields';
import { at, count, isRecord, list, num, str } from '../../util/json';
import { defined, lookupTable } from '../../util/object';
import { clip } from '../../util/text';
import { httpUrlOf } from '../../util/url';
import { SENTRY_LIMITS, type SentryEvent, type SentryFacts } from './facts';

const LEVEL = lookupTable<Severity>({
  fatal: 'critical',
  error: 'error',
  warning: 'warning',
  info: 'info',
  debug: 'info',
  sample: 'info',
});
const severityOfLevel = (level: string | undefined): Severity => LEVEL[level?.toLowerCase() ?? ''] ?? 'error';

/** Sentry tags come as [key, value] pairs or {key, value} objects. */
const tag = (tags: unknown, name: string): string | undefined => {
  for (const entry of list(tags)) {
    if (Array.isArray(entry) && entry[0] === name && typeof entry[1] === 'string') return entry[1];
    if (isRecord(entry) && entry.key === name && typeof entry.value === 'string') return entry.value;
  }
  return undefined;
};

const ISSUE_OUTCOME = lookupTable<Outcome>({
  created: 'failure',
  unresolved: 'failure',
  resolved: 'success',
  ignored: 'neutral',
  archived: 'neutral',
  assigned: 'none',
});

/** Sentry ids come as strings or numbers. */
const idOf = (value: unknown, key: string): string | undefined => {
  const id = str(value, key) ?? num(value, key)?.toString();
  return id === undefined || !/^[\w-]{1,40}$/.test(id) ? undefined : id;
};

interface Parts {
  readonly title: string;
  readonly severity: Severity;
  readonly outcome: Outcome;
  readonly url: string | undefined;
  readonly project: string | undefined;
  readonly environment: string | undefined;
  readonly facts: Omit<SentryFacts, 'type' | 'resource' | 'action'>;
}

const fromIssue = (data: unknown, action: string | undefined): Parts => {
  const issue = at(data, 'issue');
  const level = str(issue, 'level');
  const outcome = ISSUE_OUTCOME[action ?? ''] ?? 'none';
  const assignee =
    str(data, 'assignee', 'name') ?? str(issue, 'assignedTo', 'name') ?? str(issue, 'assignedTo', 'email');
  return {
    title: `${action === undefined ? '' : `${action.replace(/_/g, ' ')}: `}${str(issue, 'title') ?? 'issue'}`,
    severity: outcome === 'success' || outcome === 'neutral' ? 'info' : severityOfLevel(level),
    outcome,
    url: httpUrlOf(str(issue, 'web_url') ?? str(issue, 'permalink')),
    project: str(issue, 'project', 'slug') ?? str(issue, 'project', 'name'),
    environment: undefined,
    facts: defined({
      level,
      culprit: str(issue, 'culprit'),
      shortId: str(issue, 'shortId'),
      issueId: idOf(issue, 'id'),
      status: str(issue, 'status'),
      count: count(issue, 'count'),
      userCount: count(issue, 'userCount'),
      assignee,
    }),
  };
};

const fromEvent = (event: unknown, rule: string | undefined, resource: string): Parts => {
  const level = str(event, 'level') ?? tag(at(event, 'tags'), 'level');
  return {
    title: str(event, 'title') ?? str(event, 'message') ?? `Sentry ${resource}`,
    severity: severityOfLevel(level),
    outcome: 'failure',
    url: httpUrlOf(str(event, 'web_url') ?? str(event, 'url')),
    project: str(event, 'project_slug') ?? str(event, 'project_name') ?? tag(at(event, 'tags'), 'project'),
    environment: str(event, 'environment') ?? tag(at(event, 'tags'), 'environment'),
    facts: defined({
      level,
      culprit: str(event, 'culprit'),
      release: str(event, 'release') ?? tag(at(event, 'tags'), 'release'),
      rule,
      issueUrl: httpUrlOf(str(event, 'issue_url')),
      issueId: idOf(event, 'issue_id'),
    }),
  };
};

const fromMetricAlert = (data: unknown, action: string | undefined): Parts => {
  const rule = at(data, 'metric_alert', 'alert_rule');
  const severity: Severity = action === 'critical' ? 'critical' : action === 'warning' ? 'warning' : 'info';
  const aggregate = str(rule, 'aggregate');
  const window = num(rule, 'time_window');
  return {
    title:
      str(data, 'description_title') ?? str(data, 'metric_alert', 'title') ?? `Metric alert ${action ?? ''}`,
    severity,
    outcome: action === 'resolved' ? 'success' : 'failure',
    url: httpUrlOf(str(data, 'web_url')),
    project: list(rule, 'projects').find((p): p is string => typeof p === 'string'),
    environment: str(rule, 'environment'),
    facts: defined({
      status: action,
      rule: str(rule, 'name'),
      ruleId: idOf(rule, 'id'),
      metric:
        aggregate === undefined
          ? undefined
          : `${aggregate}${str(rule, 'query') ? ` where ${str(rule, 'query')}` : ''}${window ? ` over ${window} min` : ''}`,
      text: str(data, 'description_text'),
    }),
  };
};

const fromComment = (data: unknown, action: string | undefined, actorName: string | undefined): Parts => ({
  title:
    `${actorName ?? 'someone'} ${action === 'deleted' ? 'deleted a comment' : action === 'updated' ? 'edited a comment' : 'commented'} on issue ${str(data, 'issue_id') ?? ''}`.trim(),
  severity: 'info',
  outcome: 'none',
  url: undefined,
  project: str(data, 'project_slug'),
  environment: undefined,
  facts: defined({ text: str(data, 'comment') }),
});

/** The legacy WebHooks plugin: unsigned `{project_name, level, culprit, message, url, event}`. */
const fromLegacyPlugin = (payload: Record<string, unknown>): Parts => {
  const level = str(payload, 'level');
  return {
    title: str(payload, 'event', 'title') ?? str(payload, 'message') ?? 'Sentry alert',
    severity: severityOfLevel(level),
    outcome: 'failure',
    url: httpUrlOf(str(payload, 'url')),
    project: str(payload, 'project_slug') ?? str(payload, 'project_name') ?? str(payload, 'project'),
    environment: str(payload, 'event', 'environment') ?? tag(at(payload, 'event', 'tags'), 'environment'),
    facts: defined({
      level,
      culprit: str(payload, 'culprit'),
      release: str(payload, 'event', 'release') ?? tag(at(payload, 'event', 'tags'), 'release'),
      rule: list(payload, 'triggering_rules').find((r): r is string => typeof r === 'string'),
      text: str(payload, 'message'),
    }),
  };
};

const clipFacts = (facts: Parts['facts']): Parts['facts'] => {
  const out: Record<string, unknown> = {};
  const limits: Record<string, number> = {
    culprit: LIMITS.shortText,
    rule: LIMITS.shortText,
    metric: LIMITS.shortText,
    text: LIMITS.body,
    level: SENTRY_LIMITS.level,
    status: LIMITS.state,
    shortId: SENTRY_LIMITS.shortId,
    issueId: SENTRY_LIMITS.id,
    ruleId: SENTRY_LIMITS.id,
  };
  for (const [key, value] of Object.entries(facts))
    out[key] =
      typeof value === 'string' && key !== 'issueUrl' ? clip(value, limits[key] ?? LIMITS.name) : value;
  return out as Parts['facts'];
};

/** One Sentry request as Vigil's event. `resource` is the Sentry-Hook-Resource header, or undefined for the legacy plugin. */
export const normalizeSentry = (
  payload: Record<string, unknown>,
  resource: string | undefined,
  id: string,
  receivedAt: string,
): SentryEvent => {
  const action = str(payload, 'action');
  const data = payload.data;
  const parts =
    resource === undefined
      ? fromLegacyPlugin(payload)
      : resource === 'issue'
        ? fromIssue(data, action)
        : resource === 'event_alert'
          ? fromEvent(at(data, 'event'), str(data, 'triggered_rule'), resource)
          : resource === 'error'
            ? fromEvent(at(data, 'error'), undefined, resource)
            : resource === 'metric_alert'
              ? fromMetricAlert(data, action)
              : resource === 'comment'
                ? fromComment(data, action, str(payload, 'actor', 'name'))
                : {
                    title: `Sentry ${resource} ${action ?? ''}`.trim(),
                    severity: 'info' as const,
                    outcome: 'none' as const,
                    url: undefined,
                    project: undefined,
                    environment: undefined,
                    facts: {},
                  };
  const name = resource ?? 'plugin';
  const actor = str(payload, 'actor', 'name');
  return envelope('sentry', {
    id,
    kind: `${kindSegment(name)}.${kindSegment(resource === undefined ? 'alert' : (action ?? 'received'))}`,
    receivedAt,
    severity: parts.severity,
    outcome: parts.outcome,
    subject: { name: parts.project ?? 'Sentry' },
    actor:
      actor === undefined ? undefined : { name: actor, bot: str(payload, 'actor', 'type') === 'application' },
    title: parts.title.replace(/\s+/g, ' ').trim() || 'Sentry notification',
    url: parts.url,
    environment: parts.environment,
    facts: {
      type: 'sentry',
      resource: name.slice(0, LIMITS.state),
      ...(action === undefined ? {} : { action: action.slice(0, LIMITS.action) }),
      ...(parts.project === undefined ? {} : { project: clip(parts.project, LIMITS.name) }),
      ...clipFacts(parts.facts),
    },
  });
};
