import type { SQSRecord } from 'aws-lambda';
import { parseQueuedMessage, type QueuedMessage } from '../queue/message';

export type Post =
  | { readonly kind: 'single'; readonly record: SQSRecord; readonly message: QueuedMessage }
  | {
      readonly kind: 'digest';
      readonly records: readonly SQSRecord[];
      readonly messages: readonly QueuedMessage[];
    };

/**
 * What each record of a batch does: post its own event, lead (post several things for its channel: the
 * critical events one by one, then a digest of the rest), or nothing because a lead covers it.
 */
export type Role =
  | { readonly kind: 'own' }
  | { readonly kind: 'lead'; readonly posts: readonly Post[] }
  | { readonly kind: 'covered' };

const OWN: Role = { kind: 'own' };

/**
 * Plans digests per channel. A channel's events are merged when a route asks for `digest: always` (two or
 * more waiting), or, by default (`auto`), when more are waiting than `autoAfter` (the posts the budget
 * allows in about ten seconds). `digest: never` events always post alone. Critical events are never held
 * behind informational ones: they post first, on their own, unless their route says `always`.
 * The lead is the channel's first record in the batch, so if it fails, Powertools fails every record
 * after it in the group and none is lost.
 */
export const planBatch = (records: readonly SQSRecord[], autoAfter: number): Map<string, Role> => {
  const roles = new Map<string, Role>();
  const byChannel = new Map<string, { record: SQSRecord; message: QueuedMessage }[]>();
  for (const record of records) {
    const parsed = parseQueuedMessage(record.body);
    if (!parsed.ok || parsed.value.digest === 'never') {
      roles.set(record.messageId, OWN);
      continue;
    }
    const key = `${record.attributes.MessageGroupId ?? ''}\n${parsed.value.channel}`;
    byChannel.set(key, [...(byChannel.get(key) ?? []), { record, message: parsed.value }]);
  }
  for (const entries of byChannel.values()) {
    const critical = entries.filter(
      ({ message }) => message.event.severity === 'critical' && message.digest !== 'always',
    );
    const rest = entries.filter((entry) => !critical.includes(entry));
    const wanted = rest.some(({ message }) => message.digest === 'always')
      ? rest.length >= 2
      : rest.length > autoAfter;
    if (!wanted) {
      for (const { record } of entries) roles.set(record.messageId, OWN);
      continue;
    }
    const posts: Post[] = [
      ...critical.map(({ record, message }): Post => ({ kind: 'single', record, message })),
      {
        kind: 'digest',
        records: rest.map(({ record }) => record),
        messages: rest.map(({ message }) => message),
      },
    ];
    const [lead, ...others] = entries;
    if (lead === undefined) continue;
    roles.set(lead.record.messageId, { kind: 'lead', posts });
    for (const { record } of others) roles.set(record.messageId, { kind: 'covered' });
  }
  return roles;
};

/** Posts the budget allows in about ten seconds: more waiting than this is worth a digest. */
export const autoDigestAfter = (postsPerMinute: number): number =>
  Math.max(2, Math.floor(postsPerMinute / 6));
