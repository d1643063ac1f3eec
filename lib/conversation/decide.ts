import type { CiMode } from '../delivery/policy';
import type { VigilEvent } from '../event/model';
import { isStale, resolutionsAfter } from './resolutions';
import type { Conversation, Run } from './state';
import type { Subject } from './subject';

/** `changes` (default): CI posts when it starts failing and when it is fixed. `every`: each run posts. */
export type { CiMode };

/** What one event does in its channel. */
export type Delivery =
  /** A channel post; `followUp` names the earlier message it follows when it cannot reply in a thread. */
  | { readonly kind: 'post'; readonly note?: string; readonly followUp?: FollowUp }
  /** A reply in `parent`'s thread; `inChannel`: an outcome people must not miss, also shown in the channel. */
  | {
      readonly kind: 'reply';
      readonly parent: string;
      readonly inChannel: boolean;
      readonly note?: string;
      readonly followUp: FollowUp;
    }
  /** Nothing is posted (the event is recorded as unchanged). */
  | { readonly kind: 'unchanged'; readonly reason: string };

export interface FollowUp {
  readonly title: string;
  readonly url?: string | undefined;
}

/** How the event actually went out: as decided, in a digest card, or in the channel after a refused thread call. */
export type Sent =
  | { readonly how: 'post' | 'reply' | 'fallback'; readonly messageId?: string | undefined }
  | { readonly how: 'digest' };

/** The states to write once the event went out; undefined leaves that item as it is. */
export interface NextState {
  readonly conversation?: Conversation;
  readonly run?: Run;
}

export interface Decision {
  readonly delivery: Delivery;
  readonly next: (sent: Sent) => NextState;
}

export interface Situation {
  readonly event: VigilEvent;
  readonly subject: Subject;
  /** The subject's conversation (for a CI part, its CI subject's, when it names one). */
  readonly conversation: Conversation | undefined;
  /** The run's state, for CI results and parts. */
  readonly run: Run | undefined;
  /** False when the channel says `threads: false` or its thread calls were refused lately. */
  readonly threads: boolean;
  readonly ci: CiMode;
}

/** Outcomes people must not miss also show in the channel: resolved, fixed, merged, and anything critical. */
export const mustShow = (event: VigilEvent): boolean =>
  event.outcome === 'success' || event.severity === 'critical';

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
export const ordinal = (n: number): string => {
  const tens = n % 100;
  return `${n}${tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;
};

const opened = (event: VigilEvent): Conversation => ({
  v: 1,
  type: 'conversation',
  title: event.title,
  ...(event.url === undefined ? {} : { url: event.url }),
});

const newRun = (event: VigilEvent): Run => ({
  v: 1,
  type: 'run',
  title: event.title,
  ...(event.url === undefined ? {} : { url: event.url }),
});

const followUpOf = (about: { title: string; url?: string | undefined }): FollowUp => ({
  title: about.title,
  ...(about.url === undefined ? {} : { url: about.url }),
});

/** A reply in `about`'s thread, or a channel post that names it when there is no thread to reply in. */
const toward = (
  about: { title: string; url?: string | undefined; parent?: string | undefined },
  threads: boolean,
  inChannel: boolean,
  note: string | undefined,
): Delivery =>
  about.parent !== undefined && threads
    ? {
        kind: 'reply',
        parent: about.parent,
        inChannel,
        followUp: followUpOf(about),
        ...(note === undefined ? {} : { note }),
      }
    : { kind: 'post', followUp: followUpOf(about), ...(note === undefined ? {} : { note }) };

/** The parent after an event about an existing conversation went out. */
const parentAfter = (current: string | undefined, sent: Sent): string | undefined => {
  if (sent.how === 'digest' || sent.how === 'reply') return current;
  // a post when there was no thread starts one; a refused thread call moves it to the post that replaced it
  // (a post while the channel's threads are off keeps the thread for when they are back)
  return current === undefined || sent.how === 'fallback' ? (sent.messageId ?? current) : current;
};

const withParent = <T extends { parent?: string | undefined }>(item: T, parent: string | undefined): T => {
  const { parent: _old, ...rest } = item;
  return (parent === undefined ? rest : { ...rest, parent }) as T;
};

const idOf = (sent: Sent): string | undefined => (sent.how === 'digest' ? undefined : sent.messageId);

/** Pull requests, issues, deployments, alerts, containers: the first event posts, later ones reply. */
const decideThread = ({ event, subject, conversation, threads }: Situation): Decision => {
  const live = conversation?.ended === true ? undefined : conversation;
  const ends = subject.family === 'incident' && event.outcome === 'success';
  if (conversation?.ended === true && isStale(conversation.resolved, event)) {
    return {
      delivery: {
        kind: 'unchanged',
        reason: `stale: every alert of this firing started before its resolution already recorded; ${subject.label} stays resolved`,
      },
      next: () => ({}),
    };
  }
  const withResolved = (state: Conversation, earlier: Conversation | undefined): Conversation => {
    const { resolved: _old, ...rest } = state;
    const resolved = resolutionsAfter(earlier?.resolved, event);
    return resolved === undefined ? rest : { ...rest, resolved };
  };
  if (live === undefined) {
    return {
      delivery: { kind: 'post' },
      next: (sent) => ({
        conversation: withResolved(
          ends ? { ...opened(event), ended: true } : withParent(opened(event), idOf(sent)),
          conversation,
        ),
      }),
    };
  }
  return {
    delivery: toward(live, threads, mustShow(event), undefined),
    next: (sent) => {
      const moved = withParent(live, parentAfter(live.parent, sent));
      return { conversation: withResolved(ends ? { ...moved, ended: true } : moved, live) };
    },
  };
};

/** A run's result (workflow run, pipeline, external check) for a workflow or pipeline on a branch. */
const decideCi = ({ event, subject, conversation, run, threads, ci }: Situation): Decision => {
  const failing = conversation?.ci?.outcome === 'failure';
  const streak = conversation?.ci?.streak ?? 0;
  const thisRun = run ?? newRun(event);
  const where = subject.label;

  if (event.outcome === 'failure') {
    const count = failing ? streak + 1 : 1;
    const note = failing ? `Still failing (${ordinal(count)} run in a row)` : undefined;
    const state = (parent: string | undefined): Conversation => ({
      ...withParent(conversation ?? opened(event), parent),
      ...(failing ? {} : { title: event.title, ...(event.url === undefined ? {} : { url: event.url }) }),
      ci: { outcome: 'failure', streak: count },
    });
    if (ci === 'changes' && failing && conversation !== undefined) {
      return {
        delivery: toward(conversation, threads, false, note),
        next: (sent) => {
          const parent = parentAfter(conversation.parent, sent);
          return { conversation: state(parent), run: withParent(thisRun, thisRun.parent ?? parent) };
        },
      };
    }
    if (thisRun.parent !== undefined) {
      // a job of this run already posted its card: the result goes in that thread
      return {
        delivery: toward(thisRun, threads, false, note),
        next: (sent) => {
          const parent = parentAfter(thisRun.parent, sent);
          return { conversation: state(parent), run: withParent(thisRun, parent) };
        },
      };
    }
    return {
      delivery: { kind: 'post', ...(note === undefined ? {} : { note }) },
      next: (sent) => ({ conversation: state(idOf(sent)), run: withParent(thisRun, idOf(sent)) }),
    };
  }

  if (event.outcome === 'success') {
    const passed = (parent: string | undefined): Conversation => ({
      ...withParent(conversation ?? opened(event), parent),
      ci: { outcome: 'success', streak: 0 },
    });
    if (failing && conversation !== undefined) {
      const note = `Fixed after ${streak} failed run${streak === 1 ? '' : 's'}`;
      return {
        delivery: toward(conversation, threads, true, note),
        next: (sent) => {
          const parent = parentAfter(conversation.parent, sent);
          return { conversation: passed(parent), run: withParent(thisRun, thisRun.parent ?? parent) };
        },
      };
    }
    if (conversation !== undefined && ci === 'changes') {
      return {
        delivery: { kind: 'unchanged', reason: `success after success: ${where} was already passing` },
        next: () => ({}),
      };
    }
    if (thisRun.parent !== undefined) {
      return {
        delivery: toward(thisRun, threads, true, undefined),
        next: (sent) => ({
          conversation: passed(undefined),
          run: withParent(thisRun, parentAfter(thisRun.parent, sent)),
        }),
      };
    }
    return {
      delivery: { kind: 'post' },
      next: (sent) => ({
        conversation: { ...withParent(opened(event), idOf(sent)), ci: { outcome: 'success', streak: 0 } },
        run: withParent(thisRun, idOf(sent)),
      }),
    };
  }

  // cancelled, skipped, neutral: not a change of the branch's state
  if (failing && conversation !== undefined) {
    return {
      delivery: toward(conversation, threads, false, undefined),
      next: (sent) => ({
        conversation: withParent(conversation, parentAfter(conversation.parent, sent)),
        run: withParent(thisRun, thisRun.parent ?? conversation.parent),
      }),
    };
  }
  if (conversation !== undefined && ci === 'changes') {
    return {
      delivery: {
        kind: 'unchanged',
        reason: `a ${event.outcome} run does not change ${where}, which was passing`,
      },
      next: () => ({}),
    };
  }
  return {
    delivery: { kind: 'post' },
    next: (sent) => ({ run: withParent(thisRun, thisRun.parent ?? idOf(sent)) }),
  };
};

/** Jobs, check runs, check suites and in-progress notices: folded into their run's conversation. */
const decidePart = ({ event, subject, conversation, run, threads, ci }: Situation): Decision => {
  const thisRun = run ?? newRun(event);
  if (event.outcome !== 'failure') {
    return {
      delivery: {
        kind: 'unchanged',
        reason: `${subject.label}: folded into its run, whose result is posted`,
      },
      next: () => ({ run: thisRun }),
    };
  }
  if (thisRun.parent !== undefined) {
    return {
      delivery: toward(thisRun, threads, false, undefined),
      next: (sent) => ({ run: withParent(thisRun, parentAfter(thisRun.parent, sent)) }),
    };
  }
  if (ci === 'changes' && conversation?.ci?.outcome === 'failure' && conversation.parent !== undefined) {
    // the workflow was already failing: this run's failures belong in that thread
    return {
      delivery: toward(conversation, threads, false, undefined),
      next: (sent) => ({
        run: withParent(
          thisRun,
          sent.how === 'reply' ? conversation.parent : (idOf(sent) ?? conversation.parent),
        ),
      }),
    };
  }
  return {
    delivery: { kind: 'post' },
    next: (sent) => ({ run: withParent(thisRun, idOf(sent)) }),
  };
};

/** Whether an event posts, replies in its subject's thread, or changes nothing, and what is remembered after. */
export const decide = (situation: Situation): Decision => {
  switch (situation.subject.family) {
    case 'ci':
      return decideCi(situation);
    case 'ci-part':
      return decidePart(situation);
    default:
      return decideThread(situation);
  }
};
