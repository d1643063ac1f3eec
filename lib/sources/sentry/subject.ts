import { type Subject, subjectKey } from '../../conversation/subject-key';
import type { SentryEvent } from './facts';

/** A metric alert is an incident of its rule; an issue, and the alerts and errors of an issue, are its thread. */
export const sentrySubject = (event: SentryEvent): Subject | undefined => {
  const facts = event.facts;
  if (facts.resource === 'metric_alert') {
    const rule = facts.ruleId ?? facts.rule;
    return rule === undefined
      ? undefined
      : {
          key: subjectKey('sentry', 'metric', rule),
          family: 'incident',
          label: `metric alert ${facts.rule ?? rule}`,
        };
  }
  if (['issue', 'event_alert', 'error'].includes(facts.resource) && facts.issueId !== undefined) {
    return {
      key: subjectKey('sentry', facts.project, 'issue', facts.issueId),
      family: 'thread',
      label: `Sentry issue ${facts.shortId ?? facts.issueId}`,
    };
  }
  return undefined;
};
