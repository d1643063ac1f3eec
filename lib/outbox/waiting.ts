import type { OutboxStore } from '../state/outbox-store';
import { str } from '../util/json';
import { parseJsonObject } from '../util/parse-json';
import { clip } from '../util/text';
import type { OutboxEntry, OutboxHead } from './entry';
import { loadOutbox } from './outbox';

/**
 * Why an event waits: `held` by routing (a hold window, a digest period: routing's own words, such as
 * `quiet-hours until 07:00 Europe/Berlin` or `hourly digest`), Cliq's rate-limit `lock` on the owner, the
 * `backoff` after a failed post, or nothing but the owner's next post slot (`budget`, due now); `unread` when
 * the outbox could not be read just now (only the tick's index is known).
 */
export type WaitKind = 'held' | 'lock' | 'backoff' | 'budget' | 'unread';

export interface Wait {
  readonly kind: WaitKind;
  readonly reason: string;
  /** When it may post (ISO); now or earlier for `budget`. */
  readonly dueAt: string;
}

export interface WaitingEvent extends Wait {
  readonly source: string;
  readonly eventKind: string;
  readonly title: string;
  readonly arrivedAt: string;
}

export interface WaitingChannel extends Wait {
  readonly channel: string;
  readonly waiting: number;
  /** The first events in arrival order (at most EVENTS_SHOWN); `waiting` counts them all. */
  readonly events: readonly WaitingEvent[];
}

export interface WaitingOwner extends Wait {
  /** The owner's safe name (`cliq-<hash of the token>`, `user-<name>`, `preview`), never a token or URL. */
  readonly owner: string;
  readonly waiting: number;
  readonly channels: readonly WaitingChannel[];
}

/** Events listed per channel: the count says how many more wait. */
export const EVENTS_SHOWN = 20;

const iso = (ms: number) => new Date(ms).toISOString();

/** One entry's wait: whichever of its hold, the owner's lock and the owner's backoff ends last. */
export const waitOf = (entry: OutboxEntry, head: OutboxHead, at: number): Wait => {
  const candidates: [WaitKind, number, string][] = [
    ['held', entry.notBefore ?? 0, entry.held ?? 'held'],
    ['lock', head.lockedUntil ?? 0, "Cliq's rate-limit lock"],
    ['backoff', head.retryAt ?? 0, 'backoff after a failed post'],
  ];
  let [kind, until, reason]: [WaitKind, number, string] = ['budget', at, 'the next post slot'];
  for (const candidate of candidates)
    if (candidate[1] > at && candidate[1] > until) [kind, until, reason] = candidate;
  return { kind, reason, dueAt: iso(until) };
};

/** The wait of the first to go among `waits` (they all carry ISO times, which sort as text). */
const first = (waits: readonly Wait[]): Wait => {
  let soonest = waits[0] as Wait;
  for (const wait of waits) if (wait.dueAt < soonest.dueAt) soonest = wait;
  return { kind: soonest.kind, reason: soonest.reason, dueAt: soonest.dueAt };
};

/**
 * What waits in one owner's outbox, by channel, as tools show it: how many, why, when the first goes out,
 * and the events (source, title). Reads only what routing put in the queued body: no channel URL is there.
 * `lockedUntil` adds a lock the caller knows of (the pacer's, in memory) to the one the outbox recorded.
 */
export const describeWaiting = (
  owner: string,
  head: OutboxHead,
  entries: readonly OutboxEntry[],
  at: number,
  lockedUntil = 0,
): WaitingOwner | undefined => {
  if (entries.length === 0) return undefined;
  const locked = { ...head, lockedUntil: Math.max(head.lockedUntil ?? 0, lockedUntil) };
  const channels = new Map<string, WaitingEvent[]>();
  for (const entry of entries) {
    const body = parseJsonObject(entry.body);
    const value = body.ok ? body.value : {};
    const channel = str(value, 'channel') ?? 'unknown';
    const event: WaitingEvent = {
      ...waitOf(entry, locked, at),
      source: str(value, 'event', 'source') ?? 'unknown',
      eventKind: str(value, 'event', 'kind') ?? 'unknown',
      title: clip(str(value, 'event', 'title') ?? '', 200),
      arrivedAt: iso(entry.arrivedAt),
    };
    channels.set(channel, [...(channels.get(channel) ?? []), event]);
  }
  const byChannel: WaitingChannel[] = [...channels].map(([channel, events]) => ({
    ...first(events),
    channel,
    waiting: events.length,
    events: events.slice(0, EVENTS_SHOWN),
  }));
  return {
    ...first(byChannel),
    owner,
    waiting: entries.length,
    channels: byChannel.sort((a, b) => a.channel.localeCompare(b.channel)),
  };
};

/**
 * Every owner's outbox with something waiting, read through the index the scheduled tick uses. An outbox
 * that cannot be read now (a throttled read, a save under way) is reported from the index alone, so a
 * health check never fails on a read the sender's next save makes good.
 */
export const readWaiting = async (
  store: OutboxStore,
  at: number,
  lockedFor: (owner: string) => number = () => 0,
): Promise<WaitingOwner[]> => {
  const owners: WaitingOwner[] = [];
  for await (const { owner, count, dueAt } of store.waitingOwners()) {
    const box = await loadOutbox(store, owner).catch((error: unknown) => error as Error);
    if (box instanceof Error) {
      const reason = `the outbox could not be read just now (${box.name})`;
      owners.push({
        owner,
        waiting: count,
        kind: 'unread',
        reason,
        dueAt: iso(Math.max(dueAt, at)),
        channels: [],
      });
      continue;
    }
    const seen = describeWaiting(owner, box.head, box.entries, at, at + lockedFor(owner) * 1000);
    if (seen !== undefined) owners.push(seen);
  }
  return owners.sort((a, b) => a.owner.localeCompare(b.owner));
};
