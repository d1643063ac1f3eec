import { envelope } from '../../event/envelope';
import { alertGroupParts, readAlertGroup } from '../shared/alerting/normalize';
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
  return envelope('alertmanager', {
    ...alertGroupParts(group, receivedAt),
    id: `alertmanager:${group.dedupKey}`,
    subject: { name: subject },
  });
};
