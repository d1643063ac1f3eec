import * as v from 'valibot';
import { bounded, count, envelopeEntries, httpUrl, LIMITS } from '../../event/fields';

/** What Sentry said, whichever resource sent it (issue, event_alert, metric_alert, error, comment, the legacy plugin). */
export const SentryFacts = v.object({
  type: v.literal('sentry'),
  resource: bounded(40),
  action: v.optional(bounded(60)),
  level: v.optional(bounded(20)),
  culprit: v.optional(bounded(LIMITS.shortText)),
  project: v.optional(bounded(LIMITS.name)),
  shortId: v.optional(bounded(60)),
  /** Sentry's issue id (issue webhooks, and the issue an alerted event belongs to). */
  issueId: v.optional(bounded(40)),
  /** The metric alert rule's id. */
  ruleId: v.optional(bounded(40)),
  status: v.optional(bounded(40)),
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
