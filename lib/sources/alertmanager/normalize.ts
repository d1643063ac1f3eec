import { alertGroupTitle, labelPairs, readAlertGroup } from '../shared/alerting/normalize';
import type { AlertmanagerEvent } from './facts';

/** One Alertmanager notification (a group of alerts) → one event; pure. */
export const normalizeAlertmanager = (
  payload: Record<string, unknown>,
  receivedAt: string,
): AlertmanagerEvent => {
  const group = readAlertGroup(payload, { silenceFromExternalUrl: true });
  const { facts, commonLabels } = group;
  const subject =
    commonLabels.service ??
    commonLabels.job ??
    commonLabels.namespace ??
    commonLabels.cluster ??
    facts.receiver ??
    'Alertmanager';
  const environment = commonLabels.env ?? commonLabels.environment;
  const url = facts.alerts.find((alert) => alert.generatorUrl)?.generatorUrl ?? facts.externalUrl;
  const event: AlertmanagerEvent = {
    v: 1,
    id: `alertmanager:${group.dedupKey}`,
    source: 'alertmanager',
    kind: `alertmanager.alert.${facts.status}`,
    occurredAt: (facts.status === 'firing' ? group.firstStartsAt : undefined) ?? receivedAt,
    receivedAt,
    severity: group.severity,
    outcome: facts.status === 'resolved' ? 'success' : 'failure',
    subject: { name: subject.slice(0, 255) },
    title: alertGroupTitle(facts, commonLabels).slice(0, 300),
    ...(url === undefined ? {} : { url }),
    ...(environment === undefined ? {} : { environment: environment.slice(0, 255) }),
    labels: labelPairs(commonLabels),
    facts,
  };
  return event;
};
