import { envelope } from '../../event/envelope';
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
  return envelope('alertmanager', {
    id: `alertmanager:${group.dedupKey}`,
    kind: `alert.${facts.status}`,
    occurredAt: facts.status === 'firing' ? group.firstStartsAt : undefined,
    receivedAt,
    severity: group.severity,
    outcome: facts.status === 'resolved' ? 'success' : 'failure',
    subject: { name: subject },
    title: alertGroupTitle(facts, commonLabels),
    url,
    environment,
    labels: labelPairs(commonLabels),
    facts,
  });
};
