import * as v from 'valibot';
import { CHANNEL_NAME } from '../channels';
import { DeliveryPolicy, Hold, Mention } from '../delivery/policy';
import { VigilEvent } from '../event/model';
import { err, ok, type Result } from '../result';
import { parseJsonObject } from '../util/parse-json';
import { parserFor } from '../util/schema-check';
import { describeIssues } from './message';

/** One SQS message: one event for one channel, so a failing channel never re-posts to a healthy one. */
export const QueuedMessage = v.object({
  v: v.literal(1),
  channel: v.pipe(v.string(), v.regex(CHANNEL_NAME, 'must be a channel name')),
  /** Cliq mentions the route adds to the text (trusted: they come from the reviewed routing file). */
  mention: v.optional(v.pipe(v.array(Mention), v.maxLength(20))),
  digest: DeliveryPolicy.entries.digest,
  ci: DeliveryPolicy.entries.ci,
  /** Not before `until`: routing held the event (quiet hours, a scheduled digest); absent, it may post now. */
  hold: v.optional(Hold),
  event: VigilEvent,
});
export type QueuedMessage = v.InferOutput<typeof QueuedMessage>;

const validate = parserFor(QueuedMessage);

/** A queued body, parsed and validated against every source's event schema (the sender's side). */
export const parseQueuedMessage = (body: string): Result<QueuedMessage, string> => {
  const json = parseJsonObject(body);
  if (!json.ok) return err(`body is not a JSON object: ${json.error.detail}`);
  const parsed = validate(json.value);
  return parsed.success ? ok(parsed.output) : err(describeIssues(parsed.issues));
};
