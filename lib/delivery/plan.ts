import type { SQSRecord } from 'aws-lambda';
import type { VigilEvent } from '../event/model';
import { parseQueuedMessage, type QueuedMessage } from '../queue/queued-message';

export type Post =
  | { readonly kind: 'single'; readonly record: SQSRecord; readonly message: QueuedMessage }
  | {
      readonly kind: 'digest';
      readonly records: readonly SQSRecord[];
      readonly messages: readonly QueuedMessage[];
    };

/**
 * What each record of a batch does: post its own event, lead (post several things for its channel, in
 * order: events posted alone, a digest of the rest, events that must follow it), or nothing because a lead
 * covers it.
 */
export type Role =
  | { readonly kind: 'own'; readonly message: QueuedMessage }
  | { readonly kind: 'lead'; readonly posts: readonly Post[] }
  | { readonly kind: 'covered' }
  /** Its body is not a valid queued message: it is dead-lettered, with the reason. */
  | { readonly kind: 'invalid'; readonly error: string };

/** A record on its own, parsed and validated (the only place a queued body is). */
export const soloRole = (record: SQSRecord): Role => {
  const parsed = parseQueuedMessage(record.body);
  return parsed.ok ? { kind: 'own', message: parsed.value } : { kind: 'invalid', error: parsed.error };
};

/**
 * What a channel keeps in order: one source's repository, project or service (the event's `subject.name`).
 * Coarser than a conversation's subject (lib/conversation/subject.ts): a pull request and a push to the same
 * repository keep their order.
 */
export const orderKey = (event: VigilEvent): string => `${event.source}\n${event.subject.name}`;

interface Entry {
  readonly record: SQSRecord;
  readonly message: QueuedMessage;
}

/** Where a post goes relative to the channel's digest: ahead of it, in it, or after it. */
type Place = 'ahead' | 'digest' | 'after';

/**
 * Where an event goes, given where the previous event about its subject went. Places only move forward
 * (ahead → digest → after), so the channel shows each subject's events in the order they arrived: a critical
 * event posts ahead on its own unless an earlier event about its subject is already in the digest, where it
 * then follows that event; `digest: never` posts on its own, after the digest if it must.
 */
const placeOf = ({ message }: Entry, previous: Place): Place => {
  if (message.digest === 'never') return previous === 'ahead' ? 'ahead' : 'after';
  const critical = message.event.severity === 'critical' && message.digest !== 'always';
  if (critical && previous === 'ahead') return 'ahead';
  return previous === 'after' ? 'after' : 'digest';
};

const single = ({ record, message }: Entry): Post => ({ kind: 'single', record, message });

/**
 * Plans digests per channel. A channel's events are merged when a route asks for `digest: always` (two or
 * more waiting), or, by default (`auto`), when more are waiting than `autoAfter` (the posts the budget
 * allows in about ten seconds). `digest: never` events always post alone. Critical events are not held
 * behind routine ones: they post first, on their own, unless their route says `always` or an earlier event
 * about the same subject is in the digest (see placeOf). Each subject's events reach the channel in order.
 * The lead is the channel's first record in the batch, so if it fails, the FIFO batch fails every record
 * after it in the group and none is lost. Each record's body is parsed and validated here, once: the roles
 * carry the messages to the record handler.
 */
export const planBatch = (
  records: readonly SQSRecord[],
  autoAfter: number,
  /** More wait than the budget allows: every event shares the digest, critical and `never` ones too. */
  summarize = false,
): Map<string, Role> => {
  const roles = new Map<string, Role>();
  const byChannel = new Map<string, Entry[]>();
  for (const record of records) {
    const role = soloRole(record);
    roles.set(record.messageId, role);
    if (role.kind !== 'own') continue;
    const key = `${record.attributes.MessageGroupId ?? ''}\n${role.message.channel}`;
    byChannel.set(key, [...(byChannel.get(key) ?? []), { record, message: role.message }]);
  }
  for (const entries of byChannel.values()) {
    const last = new Map<string, Place>();
    const placed = entries.map((entry) => {
      const key = orderKey(entry.message.event);
      const place = summarize ? 'digest' : placeOf(entry, last.get(key) ?? 'ahead');
      last.set(key, place);
      return { entry, place };
    });
    const merged = placed.filter(({ place }) => place === 'digest').map(({ entry }) => entry);
    const wanted =
      summarize || merged.some(({ message }) => message.digest === 'always')
        ? merged.length >= 2
        : merged.length > autoAfter;
    // each keeps its own role, set above
    if (!wanted) continue;
    const at = (where: Place) =>
      placed.filter(({ place }) => place === where).map(({ entry }) => single(entry));
    const posts: Post[] = [
      ...at('ahead'),
      {
        kind: 'digest',
        records: merged.map(({ record }) => record),
        messages: merged.map(({ message }) => message),
      },
      ...at('after'),
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
