import * as v from 'valibot';
import { bounded, count, envelopeEntries, httpUrl, LIMITS } from '../../event/fields';

/** Sentry's own field limits; the normalizer clips to the same table. */
export const SENTRY_LIMITS = { level: 20, shortId: 60, id: 40 } as const;

/** What Sentry said, whichever resource sent it (issue, event_alert, metric_alert, error, comment, the legacy plugin). */
export const SentryFacts = v.object({
  type: v.literal('sentry'),
  resource: bounded(LIMITS.state),
  action: v.optional(bounded(LIMITS.action)),
  level: v.optional(bounded(SENTRY_LIMITS.level)),
  culprit: v.optional(bounded(LIMITS.shortText)),
  project: v.optional(bounded(LIMITS.name)),
  shortId: v.optional(bounded(SENTRY_LIMITS.shortId)),
  /** Sentry's issue id (issue webhooks, and the issue an alerted event belongs to). */
  issueId: v.optional(bounded(SENTRY_LIMITS.id)),
  /** The metric alert rule's id. */
  ruleId: v.optional(bounded(SENTRY_LIMITS.id)),
  status: v.optional(bounded(LIMITS.state)),
  count: v.optional(count),
  userCount: v.optional(count),
  release: v.optional(bounded(LIMITS.name)),
  assignee: v.optional(bounded(LIMITS.name)),
  rule: v.optional(bounded(LIMITS.shortText)),
  metric: v.optional(bounded(LIMITS.shortText)),
  text: v.optional(bounded(LIMITS.body)),
  issueUrl: v.optional(httpUrl),
});
export type SentryFacts = v.InferOutput<typeof SentryFacts>;

export const SentryEvent = v.object({ ...envelopeEntries, source: v.literal('sentry'), facts: SentryFacts });
export type SentryEvent = v.InferOutput<typeof SentryEvent>;
