import type { CliqMessage } from '../../cliq/message';
import { button } from '../../format/card';
import { formatAlertGroup } from '../shared/alerting/format';
import type { AlertmanagerEvent } from './facts';

/** The Cliq card for an Alertmanager notification group, with links back to Prometheus and Alertmanager. */
export const formatAlertmanager = (event: AlertmanagerEvent): CliqMessage =>
  formatAlertGroup(event, event.facts, [
    button('Source', event.facts.alerts.find((alert) => alert.generatorUrl)?.generatorUrl),
    button('Silence', event.facts.silenceUrl),
    button('Alertmanager', event.facts.externalUrl),
  ]);
