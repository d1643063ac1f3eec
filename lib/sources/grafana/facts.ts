import * as v from 'valibot';
import { bounded, envelopeEntries, httpUrl, LIMITS } from '../../event/fields';
import { AlertGroupFacts } from '../shared/alerting/facts';

/** Grafana before unified alerting (pre-8): one rule, its state and the metrics that matched. */
const LegacyAlertFacts = v.object({
  type: v.literal('legacy_alert'),
  state: bounded(LIMITS.state),
  ruleName: v.optional(bounded(LIMITS.shortText)),
  message: v.optional(bounded(LIMITS.body)),
  matches: v.pipe(v.array(bounded(LIMITS.shortText)), v.maxLength(LIMITS.labels)),
  ruleUrl: v.optional(httpUrl),
  imageUrl: v.optional(httpUrl),
});

export const GrafanaFacts = v.variant('type', [AlertGroupFacts, LegacyAlertFacts]);
export const GrafanaEvent = v.object({
  ...envelopeEntries,
  source: v.literal('grafana'),
  facts: GrafanaFacts,
});
export type GrafanaEvent = v.InferOutput<typeof GrafanaEvent>;
