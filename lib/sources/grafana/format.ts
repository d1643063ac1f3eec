import type { CliqMessage } from '../../cliq/message';
import { button, eventCard, labelSlide, listSlide, textSlide } from '../../format/card';
import { formatAlertGroup } from '../shared/alerting/format';
import type { GrafanaEvent } from './facts';

/** The Cliq card for a Grafana event. */
export const formatGrafana = (event: GrafanaEvent): CliqMessage => {
  const { facts } = event;
  if (facts.type === 'alert_group') {
    const first = facts.alerts[0];
    return formatAlertGroup(event, facts, [
      button('Dashboard', first?.dashboardUrl),
      button('Panel', first?.panelUrl),
      button('Silence', first?.silenceUrl ?? facts.silenceUrl),
      button('Rule', first?.generatorUrl),
    ]);
  }
  return eventCard(event, {
    slides: [
      labelSlide('Alert', [
        ['State', facts.state],
        ['Rule', facts.ruleName],
      ]),
      listSlide('Matches', facts.matches),
      textSlide('Message', facts.message),
    ],
    buttons: [
      button('Open rule', facts.ruleUrl, event.outcome === 'failure' ? '-' : undefined),
      button('Image', facts.imageUrl),
    ],
  });
};
