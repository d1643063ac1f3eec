import * as v from 'valibot';
import { envelopeEntries } from '../../event/fields';
import { AlertGroupFacts } from '../shared/alerting/facts';

export const AlertmanagerEvent = v.object({
  ...envelopeEntries,
  source: v.literal('alertmanager'),
  facts: AlertGroupFacts,
});
export type AlertmanagerEvent = v.InferOutput<typeof AlertmanagerEvent>;
