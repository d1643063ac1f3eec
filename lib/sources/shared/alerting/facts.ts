import * as v from 'valibot';
import { bounded, count, httpUrl, isoTime, LIMITS } from '../../../event/fields';

export const MAX_ALERTS = 20;

/** The alert group's own field limits; the normalizer clips to the same table. */
export const ALERTING_LIMITS = { status: 20, groupKey: 200, groupLabel: 200, fingerprint: 64 } as const;

const alert = v.object({
  status: bounded(ALERTING_LIMITS.status),
  name: bounded(LIMITS.shortText),
  /** Alertmanager's (and Grafana's) id of the alert's label set: the same alert across notifications. */
  fingerprint: v.optional(bounded(ALERTING_LIMITS.fingerprint)),
  severity: v.optional(bounded(LIMITS.state)),
  instance: v.optional(bounded(LIMITS.name)),
  summary: v.optional(bounded(LIMITS.shortText * 2)),
  startsAt: v.optional(isoTime),
  endsAt: v.optional(isoTime),
  value: v.optional(bounded(LIMITS.shortText)),
  generatorUrl: v.optional(httpUrl),
  runbookUrl: v.optional(httpUrl),
  silenceUrl: v.optional(httpUrl),
  dashboardUrl: v.optional(httpUrl),
  panelUrl: v.optional(httpUrl),
});
export type Alert = v.InferOutput<typeof alert>;

/** One Alertmanager (or Grafana) notification: a group of alerts that fire or resolve together. */
export const AlertGroupFacts = v.object({
  type: v.literal('alert_group'),
  status: v.picklist(['firing', 'resolved']),
  receiver: v.optional(bounded(LIMITS.name)),
  /** Alertmanager's group key (hashed when long): one alert group, one conversation. */
  groupKey: v.optional(bounded(ALERTING_LIMITS.groupKey)),
  alertCount: count,
  firingCount: count,
  resolvedCount: count,
  truncatedAlerts: count,
  alerts: v.pipe(v.array(alert), v.maxLength(MAX_ALERTS)),
  groupLabels: v.pipe(v.array(bounded(ALERTING_LIMITS.groupLabel)), v.maxLength(LIMITS.labels)),
  externalUrl: v.optional(httpUrl),
  silenceUrl: v.optional(httpUrl),
  runbookUrl: v.optional(httpUrl),
  description: v.optional(bounded(LIMITS.body)),
});
export type AlertGroupFacts = v.InferOutput<typeof AlertGroupFacts>;
