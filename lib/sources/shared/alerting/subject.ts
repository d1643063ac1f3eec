import { type Subject, subjectKey } from '../../../conversation/subject-key';

/** An alert group is an incident, one per receiver and group key (or its group labels when it has none). */
export const alertGroupSubject = (
  source: string,
  facts: { receiver?: string | undefined; groupKey?: string | undefined; groupLabels: readonly string[] },
): Subject => ({
  key: subjectKey(source, 'group', facts.receiver, facts.groupKey ?? facts.groupLabels.join(',')),
  family: 'incident',
  label: `alert group ${facts.groupLabels.join(', ') || (facts.groupKey ?? '')}`.trim(),
});
