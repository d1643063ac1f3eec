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
import type { StateStore } from '../state/store';

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
}

/**
 * One sender call's view of a channel's conversations: reads through a cache, stages the states decisions
 * produce (so several events of one subject in a digest see each other), and writes them with the version
 * read. A channel's events are processed one at a time (one FIFO group per Cliq owner), so a version
 * conflict means another container held the group too: its state is kept and this one logged.
 */
export class ConversationSession {
  private readonly items = new Map<string, Item>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly store: StateStore,
    private readonly channel: string,
    private readonly log: Log,
    private readonly now: () => number = Date.now,
  ) {}

  private async read(key: string): Promise<unknown> {
    let item = this.items.get(key);
    if (item === undefined) {
      const stored = await this.store.getConversation(this.channel, key);
      item = { value: stored?.value, version: stored?.version };
      this.items.set(key, item);
    }
    return item.value;
  }

  private set(key: string, value: unknown): void {
    const item = this.items.get(key) ?? { value: undefined, version: undefined };
    item.value = value;
    this.items.set(key, item);
    this.dirty.add(key);
  }

  /** Threads are on unless the channel says `threads: false` or a thread call was refused lately. */
  async threadsOn(configured: boolean): Promise<boolean> {
    if (!configured) return false;
    const off = readAs(ThreadsOff, await this.read(THREADS_OFF_KEY));
    return off === undefined || Date.parse(off.until) <= this.now();
  }

  /** Cliq refused a thread call here: replies go to the channel for a while, then threads are tried again. */
  async threadsRefused(): Promise<void> {
    const off: ThreadsOff = {
      v: 1,
      type: 'threads-off',
      until: new Date(this.now() + THREADS_OFF_SECONDS * 1000).toISOString(),
    };
    this.set(THREADS_OFF_KEY, off);
    await this.persist([THREADS_OFF_KEY]);
  }

  /** The event's decision from what is remembered; undefined for events with no subject. */
  async plan(event: VigilEvent, ci: CiMode, threadsConfigured: boolean): Promise<Planned | undefined> {
    const subject = subjectOf(event);
    if (subject === undefined) return undefined;
    const threads = await this.threadsOn(threadsConfigured);
    let runKey: string | undefined;
    let run: Run | undefined;
    for (const key of subject.runKeys ?? []) {
      const stored = await this.read(key);
      const alias = readAs(Alias, stored);
      const found = alias === undefined ? readAs(Run, stored) : readAs(Run, await this.read(alias.target));
      if (found !== undefined) {
        runKey = alias?.target ?? key;
        run = found;
        break;
      }
    }
    runKey ??= subject.runKeys?.[0];
    const aliases: string[] = [];
    for (const key of subject.runKeys ?? []) {
      if (key !== runKey && readAs(Alias, await this.read(key))?.target !== runKey) aliases.push(key);
    }
    const conversationKey = subject.family === 'ci-part' ? subject.ciKey : subject.key;
    const conversation =
      conversationKey === undefined ? undefined : readAs(Conversation, await this.read(conversationKey));
    const decision = decide({ event, subject, conversation, run, threads, ci });
    return { event, subject, decision, ...(runKey === undefined ? {} : { runKey }), aliases };
  }

  /** Stages the states after the event went out; returns the keys it touched. */
  stage(planned: Planned, sent: Sent): string[] {
    const next = planned.decision.next(sent);
    const touched: string[] = [];
    if (next.conversation !== undefined && planned.subject.family !== 'ci-part') {
      this.set(planned.subject.key, next.conversation);
      touched.push(planned.subject.key);
    }
    if (next.run !== undefined && planned.runKey !== undefined) {
      this.set(planned.runKey, next.run);
      touched.push(planned.runKey);
      for (const key of planned.aliases) {
        const alias: Alias = { v: 1, type: 'alias', target: planned.runKey };
        this.set(key, alias);
        touched.push(key);
      }
    }
    return touched;
  }

  /** Writes the staged states of these keys (all staged ones when none are named). */
  async persist(keys: readonly string[] = [...this.dirty]): Promise<void> {
    for (const key of new Set(keys)) {
      const item = this.items.get(key);
      if (item === undefined || !this.dirty.has(key)) continue;
      const written = await this.store.putConversation(this.channel, key, item.value, item.version);
      this.dirty.delete(key);
      if (written) {
        item.version = (item.version ?? 0) + 1;
      } else {
        this.items.delete(key);
        this.log.warn('conversation state changed under this sender: kept the other writer’s', {
          channel: this.channel,
          subject: key,
        });
      }
    }
  }
}
