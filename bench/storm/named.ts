import type { StormEvent } from './events';

/** A message Cliq accepted (2xx): when, its body, and its parent when it is a thread reply. */
export interface AcceptedPost {
  readonly at: number;
  readonly body: unknown;
  readonly parentId?: string | undefined;
}

const ZERO_WIDTH_SPACE = /\u200B/g;
/** The line a channel post starts with when it follows up an earlier post it could not reply to. */
const FOLLOW_UP = /^↪ Follows up:/;

const strings = (value: unknown, out: string[]): string[] => {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const inner of value) strings(inner, out);
  else if (typeof value === 'object' && value !== null)
    for (const [key, inner] of Object.entries(value)) if (key !== 'thread_message_id') strings(inner, out);
  return out;
};

/**
 * What a post says about the events it is about: every string of its text, card, slides and buttons
 * (link targets included), with the zero-width spaces of Cliq escaping removed, less the follow-up lines,
 * which name an earlier event as context rather than as news.
 */
export const postText = (body: unknown): string =>
  strings(body, [])
    .join('\n')
    .replace(ZERO_WIDTH_SPACE, '')
    .split('\n')
    .filter((line) => !FOLLOW_UP.test(line))
    .join('\n');

/** The names of `events` a post names (see StormEvent.name). */
export const namedIn = (text: string, events: readonly Pick<StormEvent, 'name'>[]): string[] =>
  events.filter((event) => text.includes(event.name)).map((event) => event.name);

/** What a post is: a digest, a thread reply, or one event's own card (alert or CI). */
export const postType = (post: AcceptedPost, sources: readonly StormEvent['source'][]): string => {
  const text = (post.body as { text?: unknown } | null)?.text;
  if (typeof text === 'string' && text.startsWith('📋 Digest')) return 'digest';
  if (post.parentId !== undefined) return 'thread reply';
  const [only, ...others] = [...new Set(sources)];
  if (only === undefined) return 'names no event';
  if (others.length > 0) return 'mixed';
  return only === 'alertmanager' ? 'alert card' : 'CI card';
};

export interface StormTally {
  /** When each named event was first named, by name. */
  readonly firstNamedAt: ReadonlyMap<string, number>;
  /** Events no accepted post names, in storm order. */
  readonly unnamed: readonly string[];
  /**
   * Events named as news by more than one accepted post, with how many. Names are unique identities (an
   * alert's instance within its one firing, a run's URL), so a thread reply about a later run of the same
   * repository names that run, not this one.
   */
  readonly duplicates: ReadonlyMap<string, number>;
  readonly postsByType: Readonly<Record<string, number>>;
}

export const tallyStorm = (
  events: readonly Pick<StormEvent, 'name' | 'source'>[],
  posts: readonly AcceptedPost[],
): StormTally => {
  const sourceOf = new Map(events.map((event) => [event.name, event.source]));
  const firstNamedAt = new Map<string, number>();
  const namings = new Map<string, number>();
  const postsByType: Record<string, number> = {};
  for (const post of posts) {
    const names = namedIn(postText(post.body), events);
    for (const name of names) {
      if (!firstNamedAt.has(name) || (firstNamedAt.get(name) ?? 0) > post.at) firstNamedAt.set(name, post.at);
      namings.set(name, (namings.get(name) ?? 0) + 1);
    }
    const type = postType(
      post,
      names.flatMap((name) => sourceOf.get(name) ?? []),
    );
    postsByType[type] = (postsByType[type] ?? 0) + 1;
  }
  return {
    firstNamedAt,
    unnamed: events.filter((event) => !firstNamedAt.has(event.name)).map((event) => event.name),
    duplicates: new Map([...namings].filter(([, count]) => count > 1)),
    postsByType,
  };
};
