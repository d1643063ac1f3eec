import type { CliqMessage } from '../../cliq/message';
import { button, eventCard, labelSlide, textSlide } from '../../format/card';
import type { SentryEvent } from './facts';

/** The Cliq card for a Sentry event. */
export const formatSentry = (event: SentryEvent): CliqMessage => {
  const { facts } = event;
  return eventCard(event, {
    slides: [
      labelSlide(facts.resource === 'metric_alert' ? 'Metric alert' : 'Issue', [
        ['Level', facts.level],
        ['Status', facts.status],
        ['Issue', facts.shortId],
        ['Culprit', facts.culprit],
        ['Project', facts.project],
        ['Events', facts.count],
        ['Users', facts.userCount],
        ['Environment', event.environment],
        ['Release', facts.release],
        ['Assignee', facts.assignee],
        ['Rule', facts.rule],
        ['Metric', facts.metric],
        ['By', event.actor?.name],
      ]),
      textSlide(facts.resource === 'comment' ? 'Comment' : 'Details', facts.text),
    ],
    buttons: [
      button('Open in Sentry', event.url ?? facts.issueUrl, event.outcome === 'failure' ? '-' : undefined),
    ],
  });
};
