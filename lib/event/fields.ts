import * as v from 'valibot';

/** Field shapes shared by every source's event schema. Every string is bounded so a message always fits SQS. */
export const bounded = (max: number) => v.pipe(v.string(), v.maxLength(max));
export const httpUrl = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.regex(/^https?:\/\//i, 'must be an http(s) URL'),
);
export const isoTime = v.pipe(v.string(), v.isoTimestamp());
export const count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What happened, independent of the source's vocabulary. `none` is for events that have no result (a comment). */
export const OUTCOMES = ['success', 'failure', 'cancelled', 'skipped', 'pending', 'neutral', 'none'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const LIMITS = {
  id: 200,
  kind: 120,
  name: 255,
  title: 300,
  shortText: 200,
  body: 1000,
  commits: 20,
  labels: 20,
  steps: 10,
  /** One label, `key=value`. */
  label: 100,
  /** A source's word for a state, status, conclusion or level. */
  state: 40,
  /** A source's action word (`opened`, `completed`). */
  action: 60,
  /** A commit sha, in full. */
  sha: 64,
  /** A source's event name (X-GitHub-Event, X-Gitlab-Event). */
  eventName: 80,
  /** One segment of an event kind. */
  kindSegment: 40,
} as const;

/** The source-agnostic envelope: what routing, digests and every formatter may rely on. */
export const envelopeEntries = {
  v: v.literal(1),
  id: bounded(LIMITS.id),
  /**
   * What deduplication and the ledger key on when it differs from `id`: for a signed delivery, a digest of the
   * signed bytes (lib/sources/shared/replay.ts), so a replay under a new id header is the same event. `id`
   * stays the source's own delivery id, the one logs show and people search for.
   */
  identity: v.optional(bounded(LIMITS.id)),
  kind: v.pipe(
    v.string(),
    v.maxLength(LIMITS.kind),
    v.regex(/^[a-z0-9_]+(\.[a-z0-9_-]+)+$/, 'must look like source.event[.action]'),
  ),
  occurredAt: isoTime,
  receivedAt: isoTime,
  severity: v.picklist(SEVERITIES),
  outcome: v.picklist(OUTCOMES),
  subject: v.object({ name: bounded(LIMITS.name), url: v.optional(httpUrl) }),
  actor: v.optional(v.object({ name: bounded(LIMITS.name), url: v.optional(httpUrl), bot: v.boolean() })),
  title: bounded(LIMITS.title),
  url: v.optional(httpUrl),
  branch: v.optional(bounded(LIMITS.name)),
  /** The repository's default branch, where the source says (routing can tell main from feature branches). */
  defaultBranch: v.optional(bounded(LIMITS.name)),
  environment: v.optional(bounded(LIMITS.name)),
  labels: v.pipe(v.array(bounded(LIMITS.label)), v.maxLength(LIMITS.labels)),
} as const;

/**
 * An event of any source as shared code sees it: the envelope, a source's name, and facts it leaves to the
 * source. Every VigilEvent is one; so is a source's event before it joins the union (tests/unit/toy-source.test.ts).
 */
export type AnyEvent = v.InferOutput<v.ObjectSchema<typeof envelopeEntries, undefined>> & {
  readonly source: string;
  readonly facts: unknown;
};

/** One segment of an event kind: lower case, only [a-z0-9_-], no leading or trailing `_`, at most 40 chars. */
export const kindSegment = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, LIMITS.kindSegment) || 'unknown';
