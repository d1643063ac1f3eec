import { type CiMode, type Decision, decide, type Sent } from '../conversation/decide';
import {
  Alias,
  Conversation,
  Run,
  readAs,
  THREADS_OFF_KEY,
  THREADS_OFF_SECONDS,
  ThreadsOff,
} from '../conversation/state';
import { type Subject, subjectOf } from '../conversation/subject';
import type { VigilEvent } from '../event/model';
import type { Log } from '../log';
import { CONVERSATION_TTL_SECONDS, type StateStore } from '../state/store';

export interface Planned {
  readonly event: VigilEvent;
  readonly subject: Subject;
  readonly decision: Decision;
  /** The key the run's state is kept under, and its other ids to point there. */
  readonly runKey?: string;
  readonly aliases: readonly string[];
}

interface Item {
  value: unknown;
  version: number | undefined;
  /** When the store forgets the value read (epoch seconds), where it said. */
  expiresAt?: number | undefined;
}

/**
 * A state read with less than this left before it expires is written back even when its event changes
 * nothing (a CI success after a success), so a subject that is quiet because all is well is not forgotten:
 * half the TTL, so a subject seen daily costs one write every 45 days rather than one per event.
 */
export const REFRESH_BELOW_SECONDS = CONVERSATION_TTL_SECONDS / 2;

/** A state an event staged for a key, to be written once that event went out. */
interface Staged {
  readonly event: VigilEvent;
  readonly value: unknown;
}

/**
 * One sender call's view of a channel's conversations: reads through a cache, stages the states decisions
 * produce (so several events of one subject in a digest see each other), and writes them with the version
 * read. A channel's events are processed one at a time (one FIFO group per Cliq owner), so a version
 * conflict means another container held the group too: its state is kept and this one logged.
 *
 * Each staged state is kept with the event that produced it, and a key is written only up to the events
 * that went out: a digest that fails half-way leaves its unsent events' effects unwritten, so their retry
 * decides as if they never happened.
 */
export class ConversationSession {
  private readonly items = new Map<string, Item>();
  /** Per key, the states staged since the last write, in the order the events were planned. */
  private readonly staged = new Map<string, Staged[]>();
  /** Events that went out (`sent`, or recorded unchanged) or were refused for good (`dropped`). */
  private readonly settled = new Map<VigilEvent, 'sent' | 'dropped'>();

  constructor(
    private readonly store: StateStore,
    private readonly channel: string,
    private readonly log: Log,
    private readonly now: () => number = Date.now,
    /** The Cliq channel this channel's URL points at now (`channelIdentity`). */
    private readonly target?: string,
  ) {}

  /**
   * A remembered state as this channel sees it: a parent posted in another Cliq channel (the URL was
   * pointed elsewhere since) is no thread here, so the subject starts over; the rest (a CI streak, an
   * ended incident) still holds.
   */
  private here<S extends { parent?: string | undefined; target?: string | undefined }>(
    state: S | undefined,
  ): S | undefined {
    if (state === undefined || !this.elsewhere(state.target)) return state;
    const { parent: _, target: __, ...rest } = state;
    return rest as S;
  }

  /** Whether a state was written for another Cliq channel than the one this channel's URL points at now. */
  private elsewhere(target: string | undefined): boolean {
    return target !== undefined && this.target !== undefined && target !== this.target;
  }

  /** A state to remember, marked with the Cliq channel its parent belongs to. */
  private marked<T extends object>(value: T): T {
    return this.target === undefined ? value : { ...value, target: this.target };
  }

  private async read(key: string): Promise<unknown> {
    let item = this.items.get(key);
    if (item === undefined) {
      const stored = await this.store.getConversation(this.channel, key);
      item = { value: stored?.value, version: stored?.version, expiresAt: stored?.expiresAt };
      this.items.set(key, item);
    }
    return item.value;
  }

  /** Makes `value` what later plans read for `key`. */
  private set(key: string, value: unknown): void {
    const item = this.items.get(key) ?? { value: undefined, version: undefined };
    item.value = value;
    this.items.set(key, item);
  }

  /**
   * Writes `value` with the version read; false when another writer's state was kept. A conflict over a
   * state equal to `value` is this write already done: a try that timed out after DynamoDB applied it, or
   * another container that sent the same event.
   */
  private async write(key: string, value: unknown): Promise<boolean> {
    const item = this.items.get(key) ?? { value, version: undefined };
    const written = await this.store.putConversation(this.channel, key, value, item.version);
    if (written) {
      item.version = (item.version ?? 0) + 1;
      item.expiresAt = Math.floor(this.now() / 1000) + CONVERSATION_TTL_SECONDS;
      this.items.set(key, item);
      return true;
    }
    const stored = await this.store.getConversation(this.channel, key);
    if (stored !== undefined && JSON.stringify(stored.value) === JSON.stringify(value)) {
      item.version = stored.version;
      item.expiresAt = stored.expiresAt;
      this.items.set(key, item);
      return true;
    }
    this.items.delete(key);
    this.staged.delete(key);
    this.log.warn('conversation state changed under this sender: kept the other writer’s', {
      channel: this.channel,
      subject: key,
    });
    return false;
  }

  /** Whether the state read for `key` expires within REFRESH_BELOW_SECONDS (and nothing is staged for it yet). */
  private ageing(key: string): boolean {
    const item = this.items.get(key);
    return (
      item?.value !== undefined &&
      item.expiresAt !== undefined &&
      !this.staged.has(key) &&
      item.expiresAt - this.now() / 1000 < REFRESH_BELOW_SECONDS
    );
  }

  /** Threads are on unless the channel says `threads: false` or its Cliq channel refused a thread call lately. */
  async threadsOn(configured: boolean): Promise<boolean> {
    if (!configured) return false;
    const off = readAs(ThreadsOff, await this.read(THREADS_OFF_KEY));
    if (off === undefined) return true;
    // another Cliq channel refused (the URL was pointed here since): this one has not been tried
    return this.elsewhere(off.target) || Date.parse(off.until) <= this.now();
  }

  /** Cliq refused a thread call here: replies go to the channel for a while, then threads are tried again. */
  async threadsRefused(): Promise<void> {
    const off = this.marked<ThreadsOff>({
      v: 1,
      type: 'threads-off',
      until: new Date(this.now() + THREADS_OFF_SECONDS * 1000).toISOString(),
    });
    this.set(THREADS_OFF_KEY, off);
    await this.write(THREADS_OFF_KEY, off);
  }

  /**
   * The run an event belongs to: the first of its ids (then its commit) that leads to a run state, where
   * the state is kept, and the other ids to point there. An event naming its run id never joins a run
   * another run id joined (two workflows of one commit are two runs); the commit points to the first run
   * of the commit and is never moved.
   */
  private async runOf(
    subject: Subject,
  ): Promise<{ runKey: string | undefined; run: Run | undefined; aliases: string[] }> {
    const ids = subject.runKeys ?? [];
    const places = subject.commitKey === undefined ? ids : [...ids, subject.commitKey];
    let runKey: string | undefined;
    let run: Run | undefined;
    for (const key of places) {
      const stored = await this.read(key);
      const alias = readAs(Alias, stored);
      const found = this.here(
        alias === undefined ? readAs(Run, stored) : readAs(Run, await this.read(alias.target)),
      );
      const joins =
        found !== undefined &&
        (subject.claim === undefined || found.claimedBy === undefined || found.claimedBy === subject.claim);
      if (joins) {
        runKey = alias?.target ?? key;
        run = found;
        break;
      }
    }
    runKey ??= ids[0];
    const aliases: string[] = [];
    for (const key of ids) {
      if (key === runKey) continue;
      const stored = await this.read(key);
      // another run's own state stays where it is
      if (readAs(Run, stored) !== undefined || readAs(Alias, stored)?.target === runKey) continue;
      aliases.push(key);
    }
    if (
      subject.commitKey !== undefined &&
      subject.commitKey !== runKey &&
      (await this.read(subject.commitKey)) === undefined
    ) {
      aliases.push(subject.commitKey);
    }
    return { runKey, run, aliases };
  }

  /** The event's decision from what is remembered; undefined for events with no subject. */
  async plan(event: VigilEvent, ci: CiMode, threadsConfigured: boolean): Promise<Planned | undefined> {
    const subject = subjectOf(event);
    if (subject === undefined) return undefined;
    const threads = await this.threadsOn(threadsConfigured);
    const { runKey, run, aliases } = await this.runOf(subject);
    const conversationKey = subject.family === 'ci-part' ? subject.ciKey : subject.key;
    const conversation =
      conversationKey === undefined
        ? undefined
        : this.here(readAs(Conversation, await this.read(conversationKey)));
    const decision = decide({ event, subject, conversation, run, threads, ci });
    return { event, subject, decision, ...(runKey === undefined ? {} : { runKey }), aliases };
  }

  /** Stages the states after the event went out (read by later plans, written by `settle`). */
  stage(planned: Planned, sent: Sent): void {
    const next = planned.decision.next(sent);
    const put = (key: string, value: unknown) => {
      this.set(key, value);
      this.staged.set(key, [...(this.staged.get(key) ?? []), { event: planned.event, value }]);
    };
    if (next.conversation !== undefined && planned.subject.family !== 'ci-part') {
      put(planned.subject.key, this.marked(next.conversation));
    } else if (planned.subject.family !== 'ci-part' && this.ageing(planned.subject.key)) {
      // nothing changed, but the state is getting old: write it back so its TTL starts again
      const item = this.items.get(planned.subject.key);
      if (item !== undefined) put(planned.subject.key, item.value);
    }
    if (next.run !== undefined && planned.runKey !== undefined) {
      const claim = planned.subject.claim;
      put(
        planned.runKey,
        this.marked(
          claim === undefined || next.run.claimedBy !== undefined
            ? next.run
            : { ...next.run, claimedBy: claim },
        ),
      );
      for (const key of planned.aliases) {
        const alias: Alias = { v: 1, type: 'alias', target: planned.runKey };
        put(key, alias);
      }
    }
  }

  /**
   * These events went out (`sent`) or were refused for good (`dropped`, never to be retried here): writes
   * each key's state as of its last sent event, as far as every event staged before it for that key is
   * settled. An event still to be sent holds its key's later states back, so that its retry (after a
   * failure in this digest) decides as if it had not happened; a later event already sent then has its
   * effect on that key forgotten, the smaller harm.
   *
   * A write that throws leaves its key staged, so calling `settle` again with the same events writes what
   * is still unwritten, and nothing twice.
   */
  async settle(events: readonly VigilEvent[], how: 'sent' | 'dropped'): Promise<void> {
    for (const event of events) this.settled.set(event, how);
    for (const [key, entries] of [...this.staged]) {
      let settled = 0;
      let last: Staged | undefined;
      for (const entry of entries) {
        const state = this.settled.get(entry.event);
        if (state === undefined) break;
        settled += 1;
        if (state === 'sent') last = entry;
      }
      if (settled === 0) continue;
      // a conflict dropped the key's staged states with the other writer's kept
      if (last !== undefined && !(await this.write(key, last.value))) continue;
      const rest = entries.slice(settled);
      if (rest.length === 0) this.staged.delete(key);
      else this.staged.set(key, rest);
    }
  }
}
