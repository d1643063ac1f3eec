import * as v from 'valibot';

/**
 * What Vigil remembers per (channel, key), as JSON in the state store. Whatever the store returns is
 * validated: an invalid or older shape reads as absent (the next event simply opens a new conversation).
 */

const messageId = v.pipe(v.string(), v.minLength(1), v.maxLength(100));
const title = v.pipe(v.string(), v.maxLength(300));
const url = v.optional(v.pipe(v.string(), v.maxLength(2048), v.regex(/^https?:\/\//)));
/**
 * The Cliq channel the parent was posted in (lib/cliq/channel-url.ts `channelIdentity`): when the channel's
 * URL now points elsewhere, the parent is no message of that channel and the conversation starts over there.
 * States written before it existed have none and are taken as the same channel.
 */
const target = v.optional(v.pipe(v.string(), v.maxLength(64)));

/** How many alerts' resolutions a conversation remembers (the latest; a notification carries at most 20 alerts). */
export const MAX_RESOLUTIONS = 50;

/** One alert of an alert group that resolved: which alert, and the episode that ended. */
export const Resolution = v.object({
  alert: v.pipe(v.string(), v.maxLength(300)),
  startsAt: v.pipe(v.string(), v.isoTimestamp()),
  endsAt: v.optional(v.pipe(v.string(), v.isoTimestamp())),
});
export type Resolution = v.InferOutput<typeof Resolution>;

/** A subject's conversation in one channel. */
export const Conversation = v.object({
  v: v.literal(1),
  type: v.literal('conversation'),
  /** The first event's title and link: the "follows up" line when a reply must go to the channel. */
  title,
  url,
  /** The parent message whose thread later events reply in; absent: no thread (Cliq gave no id, or a digest carried it). */
  parent: v.optional(messageId),
  target,
  /** An incident that recovered: its next event opens a new conversation. */
  ended: v.optional(v.boolean()),
  /** Alert groups: the resolutions seen, so a late firing from before them does not reopen the group. */
  resolved: v.optional(v.pipe(v.array(Resolution), v.maxLength(MAX_RESOLUTIONS))),
  /** CI subjects: the last run's result and how many runs in a row failed. */
  ci: v.optional(
    v.object({
      outcome: v.picklist(['success', 'failure']),
      streak: v.pipe(v.number(), v.integer(), v.minValue(0)),
    }),
  ),
});
export type Conversation = v.InferOutput<typeof Conversation>;

/** One CI run (a workflow run or pipeline): its jobs, checks and result share one conversation. */
export const Run = v.object({
  v: v.literal(1),
  type: v.literal('run'),
  title,
  url,
  /** The message the run's events reply to: its own channel post, or its CI subject's parent. */
  parent: v.optional(messageId),
  target,
  /** The run id's key of the run this is, once an event naming its run id joined it (parts of its commit may not). */
  claimedBy: v.optional(v.pipe(v.string(), v.maxLength(500))),
});
export type Run = v.InferOutput<typeof Run>;

/** Another id of a run (its check suite, say) pointing to the key its state is kept under. */
export const Alias = v.object({
  v: v.literal(1),
  type: v.literal('alias'),
  target: v.pipe(v.string(), v.maxLength(500)),
});
export type Alias = v.InferOutput<typeof Alias>;

/** A channel whose thread calls were refused: replies go to the channel until `until`, then threads are tried again. */
export const ThreadsOff = v.object({
  v: v.literal(1),
  type: v.literal('threads-off'),
  until: v.pipe(v.string(), v.isoTimestamp()),
  /** The Cliq channel that refused: a URL pointed at another channel since is tried at once. */
  target,
});
export type ThreadsOff = v.InferOutput<typeof ThreadsOff>;

/** The per-channel key of the threads-off item (no subject key starts with `~`). */
export const THREADS_OFF_KEY = '~threads-off';
/** How long a refused thread call turns threads off for its channel before they are tried again. */
export const THREADS_OFF_SECONDS = 6 * 3600;

/** The value if it has the schema's shape, else undefined (treated as absent). */
export const readAs = <S extends v.GenericSchema>(
  schema: S,
  value: unknown,
): v.InferOutput<S> | undefined => {
  const parsed = v.safeParse(schema, value);
  return parsed.success ? parsed.output : undefined;
};
