import type { EnvelopeParts } from '../../../event/envelope';
import { LIMITS, type Severity } from '../../../event/fields';
import { sha256Hex } from '../../../util/hash';
import { count, isRecord, list, str } from '../../../util/json';
import { lookupTable, optional } from '../../../util/object';
import { clip, optionalText } from '../../../util/text';
import { isoFromText } from '../../../util/time';
import { httpUrlOf } from '../../../util/url';
import { wellFormed } from '../../../util/well-formed';
import { ALERTING_LIMITS, type Alert, type AlertGroupFacts, MAX_ALERTS } from './facts';

const ZERO_TIME = /^0001-01-01/;

const isoOf = (value: string | undefined): string | undefined => {
  if (value === undefined || ZERO_TIME.test(value)) return undefined;
  return isoFromText(value);
};

const stringMap = (value: unknown): Record<string, string> => {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, inner] of Object.entries(value)) if (typeof inner === 'string') out[key] = inner;
  return out;
};

const SEVERITY = lookupTable<Severity>({
  critical: 'critical',
  page: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  high: 'error',
  error: 'error',
  major: 'error',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  minor: 'warning',
  info: 'info',
  low: 'info',
  none: 'info',
});
const RANK: Readonly<Record<Severity, number>> = { critical: 3, error: 2, warning: 1, info: 0 };

/** The `severity` label (critical/warning/info and common synonyms); a firing alert without one is a warning. */
export const severityOfLabel = (label: string | undefined): Severity =>
  SEVERITY[label?.toLowerCase() ?? ''] ?? 'warning';

/**
 * One entry of Grafana's `values` (numbers, by its docs) as text. Anything that is not a plain value is left out:
 * turning a list or an object into text would recurse through however deep it nests, and an object with its own
 * `toString` key cannot be turned into text at all.
 */
const scalarText = (inner: unknown): string | undefined => {
  if (typeof inner === 'number') return String(Number(inner.toPrecision(6)));
  if (typeof inner === 'string' || typeof inner === 'boolean' || inner === null) return String(inner);
  return undefined;
};

const valuesText = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (!isRecord(value)) return undefined;
  const parts = Object.entries(value).flatMap(([key, inner]) => {
    const text = scalarText(inner);
    return text === undefined ? [] : [`${key}=${text}`];
  });
  return parts.length === 0 ? undefined : parts.join(', ');
};

const toAlert = (raw: unknown, commonAnnotations: Record<string, string>, groupStatus: string): Alert => {
  const labels = stringMap((raw as Record<string, unknown>)?.labels);
  const annotations = { ...commonAnnotations, ...stringMap((raw as Record<string, unknown>)?.annotations) };
  const summary = annotations.summary ?? annotations.description ?? annotations.message;
  return {
    status: clip(str(raw, 'status') ?? groupStatus, ALERTING_LIMITS.status),
    name: clip(labels.alertname ?? 'alert', LIMITS.shortText),
    ...optional('fingerprint', optionalText(str(raw, 'fingerprint'), ALERTING_LIMITS.fingerprint)),
    ...optional('severity', optionalText(labels.severity, LIMITS.state)),
    ...optional(
      'instance',
      optionalText(labels.instance ?? labels.pod ?? labels.service ?? labels.job, LIMITS.name),
    ),
    ...optional('summary', optionalText(summary, LIMITS.shortText * 2)),
    ...optional('startsAt', isoOf(str(raw, 'startsAt'))),
    ...optional('endsAt', isoOf(str(raw, 'endsAt'))),
    ...optional(
      'value',
      optionalText(
        valuesText((raw as Record<string, unknown>)?.values ?? str(raw, 'valueString')),
        LIMITS.shortText,
      ),
    ),
    ...optional('generatorUrl', httpUrlOf(str(raw, 'generatorURL'))),
    ...optional('runbookUrl', httpUrlOf(annotations.runbook_url ?? annotations.runbook)),
    ...optional('silenceUrl', httpUrlOf(str(raw, 'silenceURL'))),
    ...optional('dashboardUrl', httpUrlOf(str(raw, 'dashboardURL'))),
    ...optional('panelUrl', httpUrlOf(str(raw, 'panelURL'))),
  };
};

/** Alertmanager's own silence form, pre-filled with the group's labels; undefined without a usable externalURL. */
export const silenceLink = (
  externalUrl: string | undefined,
  matchers: Record<string, string>,
): string | undefined => {
  const base = httpUrlOf(externalUrl);
  const entries = Object.entries(matchers);
  if (base === undefined || entries.length === 0) return undefined;
  const filter = `{${entries.map(([key, value]) => `${key}="${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  const link = `${base.replace(/\/+$/, '')}/#/silences/new?filter=${encodeURIComponent(wellFormed(filter))}`;
  return link.length <= 2048 ? link : undefined;
};

/**
 * One alert's part of its notification's identity: which alert (fingerprint), which episode (startsAt), and
 * where it stands (its own status, and when it ended once resolved). A group that still fires while one of
 * its alerts resolves is therefore a new state, not a repeat. A firing alert's endsAt is left out: Alertmanager
 * and Grafana send it as zero, and where a sender fills it in it is a forecast that moves with every
 * evaluation.
 */
const alertState = (raw: unknown, groupStatus: string): string => {
  const alertStatus = str(raw, 'status') ?? groupStatus;
  const which =
    str(raw, 'fingerprint') ?? JSON.stringify(stringMap((raw as Record<string, unknown>)?.labels));
  const ended = alertStatus === 'resolved' ? (isoOf(str(raw, 'endsAt')) ?? '') : '';
  return `${which}@${str(raw, 'startsAt') ?? ''} ${alertStatus} ${ended}`;
};

/** The group key as sent when short, else `sha256:` and its hash (keys of many labels grow long). */
const groupKeyOf = (key: string | undefined): { groupKey?: string } =>
  key === undefined || key === ''
    ? {}
    : {
        groupKey: key.length <= ALERTING_LIMITS.groupKey ? key : `sha256:${sha256Hex(key)}`,
      };

export interface AlertGroup {
  readonly facts: AlertGroupFacts;
  readonly severity: Severity;
  readonly commonLabels: Record<string, string>;
  /** The notification's state: group key, group status, and every alert's own state (see alertState). */
  readonly dedupKey: string;
  readonly firstStartsAt: string | undefined;
}

/** Reads an Alertmanager-shaped notification (Alertmanager v4, Grafana v1). Total: any object yields a group. */
export const readAlertGroup = (
  payload: Record<string, unknown>,
  options: { readonly silenceFromExternalUrl: boolean },
): AlertGroup => {
  const status = str(payload, 'status') === 'resolved' ? 'resolved' : 'firing';
  const commonLabels = stringMap(payload.commonLabels);
  const commonAnnotations = stringMap(payload.commonAnnotations);
  const groupLabels = stringMap(payload.groupLabels);
  const rawAlerts = list(payload, 'alerts');
  const alerts = rawAlerts.map((raw) => toAlert(raw, commonAnnotations, status));
  const firing = alerts.filter((alert) => alert.status !== 'resolved');
  const worst = (status === 'resolved' ? [] : firing).reduce<Severity>(
    (max, alert) => {
      const severity = severityOfLabel(alert.severity ?? commonLabels.severity);
      return RANK[severity] > RANK[max] ? severity : max;
    },
    status === 'resolved' ? 'info' : rawAlerts.length === 0 ? severityOfLabel(commonLabels.severity) : 'info',
  );
  const matchers = Object.keys(groupLabels).length > 0 ? groupLabels : commonLabels;
  const states = rawAlerts.map((raw) => alertState(raw, status)).sort();
  const externalUrl = httpUrlOf(str(payload, 'externalURL'));
  const runbookUrl =
    httpUrlOf(commonAnnotations.runbook_url ?? commonAnnotations.runbook) ??
    alerts.find((a) => a.runbookUrl)?.runbookUrl;
  const silenceUrl = options.silenceFromExternalUrl
    ? silenceLink(externalUrl, matchers)
    : alerts.find((a) => a.silenceUrl)?.silenceUrl;
  const description = commonAnnotations.description ?? commonAnnotations.summary;
  const startTimes = alerts
    .map((alert) => alert.startsAt)
    .filter((time): time is string => time !== undefined)
    .sort();
  return {
    severity: worst,
    commonLabels,
    firstStartsAt: startTimes[0],
    dedupKey: sha256Hex(`${str(payload, 'groupKey') ?? ''}\n${status}\n${states.join('\n')}`),
    facts: {
      type: 'alert_group',
      status,
      ...optional('receiver', optionalText(str(payload, 'receiver'), LIMITS.name)),
      ...groupKeyOf(str(payload, 'groupKey')),
      alertCount: alerts.length,
      firingCount: firing.length,
      resolvedCount: alerts.length - firing.length,
      truncatedAlerts: count(payload, 'truncatedAlerts') ?? 0,
      alerts: alerts.slice(0, MAX_ALERTS),
      groupLabels: Object.entries(matchers)
        .slice(0, LIMITS.labels)
        .map(([key, value]) => clip(`${key}=${value}`, ALERTING_LIMITS.groupLabel)),
      ...(externalUrl === undefined ? {} : { externalUrl }),
      ...(silenceUrl === undefined ? {} : { silenceUrl }),
      ...(runbookUrl === undefined ? {} : { runbookUrl }),
      ...optional('description', optionalText(description, LIMITS.body)),
    },
  };
};

/** `[FIRING:3] HighLatency` in Alertmanager's own style; one alert adds its summary. */
const alertGroupTitle = (facts: AlertGroupFacts, commonLabels: Record<string, string>): string => {
  const count = facts.status === 'firing' ? facts.firingCount : facts.resolvedCount;
  const name =
    commonLabels.alertname ??
    (facts.alerts.length > 0 ? [...new Set(facts.alerts.map((alert) => alert.name))].join(', ') : 'alerts');
  const single = facts.alerts.length === 1 ? facts.alerts[0]?.summary : undefined;
  return `[${facts.status.toUpperCase()}${count > 1 ? `:${count}` : ''}] ${name}${single === undefined ? '' : `: ${single}`}`;
};

/** The labels routing can match on, as `key=value`. */
const labelPairs = (labels: Record<string, string>): string[] =>
  Object.entries(labels).map(([key, value]) => `${key}=${value}`);

/**
 * What an alert group's event says whichever source sent it (Alertmanager, Grafana): all of its envelope but
 * the id and subject, which each source names its own way.
 */
export const alertGroupParts = (
  group: AlertGroup,
  receivedAt: string,
): Omit<EnvelopeParts<AlertGroupFacts>, 'id' | 'subject'> => {
  const { facts, commonLabels } = group;
  return {
    kind: `alert.${facts.status}`,
    occurredAt: facts.status === 'firing' ? group.firstStartsAt : undefined,
    receivedAt,
    severity: group.severity,
    outcome: facts.status === 'resolved' ? 'success' : 'failure',
    title: alertGroupTitle(facts, commonLabels),
    url: facts.alerts.find((alert) => alert.generatorUrl)?.generatorUrl ?? facts.externalUrl,
    environment: commonLabels.env ?? commonLabels.environment,
    labels: labelPairs(commonLabels),
    facts,
  };
};
