import { type Subject, subjectKey } from '../../conversation/subject-key';
import { alertGroupSubject } from '../shared/alerting/subject';
import type { GrafanaEvent } from './facts';

/** A unified-alerting notification is an alert group's; a legacy alert is an incident of its rule. */
export const grafanaSubject = (event: GrafanaEvent): Subject | undefined =>
  event.facts.type === 'alert_group'
    ? alertGroupSubject('grafana', event.facts)
    : event.facts.ruleName === undefined
      ? undefined
      : {
          key: subjectKey('grafana', 'rule', event.facts.ruleName),
          family: 'incident',
          label: `alert ${event.facts.ruleName}`,
        };
