import { envelope } from '../../event/envelope';
import { LIMITS, type Severity } from '../../event/fields';
import { list, num, str } from '../../util/json';
import { lookupTable, optional } from '../../util/object';
import { clip, optionalText } from '../../util/text';
import { httpUrlOf } from '../../util/url';
import { alertGroupParts, readAlertGroup } from '../shared/alerting/normalize';
import type { GrafanaEvent } from './facts';

const LEGACY_SEVERITY = lookupTable<Severity>({
  alerting: 'error',
  no_data: 'warning',
  ok: 'info',
  paused: 'info',
  pending: 'warning',
});

/**
 * Grafana unified alerting (version "1", Alertmanager's shape plus title/state/message) or a pre-8 dashboard
 * alert. A unified notification's id is its group state, as for Alertmanager (values that changed between two
 * sends of one state do not make it new); a pre-8 alert, which has no such state, takes `bodyId()` (called only
 * then, so a unified notification's body is never hashed).
 */
export const normalizeGrafana = (
  payload: Record<string, unknown>,
  bodyId: () => string,
  receivedAt: string,
): GrafanaEvent => {
  if (Array.isArray(payload.alerts)) {
    const group = readAlertGroup(payload, { silenceFromExternalUrl: false });
    const { facts, commonLabels } = group;
    return envelope('grafana', {
      ...alertGroupParts(group, receivedAt),
      id: `grafana:${group.dedupKey}`,
      subject: {
        name:
          commonLabels.grafana_folder ??
          commonLabels.service ??
          commonLabels.team ??
          facts.receiver ??
          'Grafana',
      },
    });
  }
  const state = (str(payload, 'state') ?? 'unknown').toLowerCase().slice(0, LIMITS.state);
  const severity = LEGACY_SEVERITY[state] ?? 'warning';
  const ruleUrl = httpUrlOf(str(payload, 'ruleUrl'));
  const matches = list(payload, 'evalMatches')
    .map((match) => `${str(match, 'metric') ?? 'value'}=${num(match, 'value') ?? str(match, 'value') ?? '?'}`)
    .slice(0, LIMITS.labels)
    .map((match) => clip(match, LIMITS.shortText));
  const imageUrl = httpUrlOf(str(payload, 'imageUrl'));
  return envelope('grafana', {
    id: bodyId(),
    kind: `legacy_alert.${state.replace(/[^a-z0-9_-]/g, '_') || 'unknown'}`,
    receivedAt,
    severity,
    outcome: state === 'ok' ? 'success' : state === 'alerting' ? 'failure' : 'neutral',
    subject: { name: 'Grafana' },
    title: str(payload, 'title') ?? str(payload, 'ruleName') ?? 'Grafana alert',
    url: ruleUrl,
    facts: {
      type: 'legacy_alert',
      state,
      ...optional('ruleName', optionalText(str(payload, 'ruleName'), LIMITS.shortText)),
      ...optional('message', optionalText(str(payload, 'message'), LIMITS.body)),
      matches,
      ...(ruleUrl === undefined ? {} : { ruleUrl }),
      ...(imageUrl === undefined ? {} : { imageUrl }),
    },
  });
};
