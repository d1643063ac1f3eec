import type { Button, CliqMessage } from '../../../cliq/message';
import type { Outcome, Severity } from '../../../event/fields';
import { button, eventCard, labelSlide, tableSlide, textSlide } from '../../../format/card';
import type { AlertGroupFacts } from './facts';

interface AlertGroupEvent {
  readonly title: string;
  readonly severity: Severity;
  readonly outcome: Outcome;
  readonly subject: { readonly name: string };
}

/** One card per notification group: status, counts, a table of alerts, and the links an on-call acts on. */
export const formatAlertGroup = (
  event: AlertGroupEvent,
  facts: AlertGroupFacts,
  links: readonly (Button | undefined)[],
): CliqMessage => {
  const unlisted = facts.alertCount - facts.alerts.length;
  return eventCard(event, {
    ...(facts.status === 'resolved' ? { icon: '✅' } : {}),
    slides: [
      labelSlide(facts.status === 'resolved' ? 'Resolved' : 'Firing', [
        ['Status', facts.status === 'resolved' ? 'resolved (recovered)' : 'firing'],
        ['Severity', facts.status === 'resolved' ? undefined : event.severity],
        ['Alerts', `${facts.firingCount} firing, ${facts.resolvedCount} resolved`],
        [
          'Not shown',
          facts.truncatedAlerts > 0 && `${facts.truncatedAlerts} more alert(s) truncated by the sender`,
        ],
        ['Group', facts.groupLabels.join(', ')],
        ['Receiver', facts.receiver],
      ]),
      tableSlide(
        'Alerts',
        ['Alert', 'Severity', 'Instance', 'Summary'],
        [
          ...facts.alerts.map((alert) => [
            `${alert.status === 'resolved' ? '✅ ' : ''}${alert.name}`,
            alert.severity,
            alert.instance,
            [alert.summary, alert.value].filter(Boolean).join(' · ') || undefined,
          ]),
          ...(unlisted > 0 ? [[`…and ${unlisted} more`]] : []),
        ],
      ),
      textSlide('Description', facts.alerts.length === 1 ? undefined : facts.description),
    ],
    buttons: [button('Runbook', facts.runbookUrl, '-'), ...links],
  });
};
