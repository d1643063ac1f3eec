import { clip } from '../util/text';
import { LIMITS, type Outcome, type Severity } from './fields';

/** What a source's normalizer decides about an event; `envelope` sets the rest and clips every field. */
export interface EnvelopeParts<F> {
  /** Unique per delivery of the source: a redelivery carries the same id. */
  readonly id: string;
  /** The kind after `<source>.`, built from kindSegment()s: `push`, `workflow_run.completed`. */
  readonly kind: string;
  /** When it happened, where the source says; otherwise when Vigil received it. */
  readonly occurredAt?: string | undefined;
  readonly receivedAt: string;
  readonly severity: Severity;
  readonly outcome: Outcome;
  readonly subject: { readonly name: string; readonly url?: string | undefined };
  readonly actor?:
    | { readonly name: string; readonly bot: boolean; readonly url?: string | undefined }
    | undefined;
  readonly title: string;
  readonly url?: string | undefined;
  readonly branch?: string | undefined;
  readonly defaultBranch?: string | undefined;
  readonly environment?: string | undefined;
  /** At most LIMITS.labels are kept, each clipped to LIMITS.label. */
  readonly labels?: readonly string[] | undefined;
  readonly facts: F;
}

export interface Envelope<S extends string, F> {
  v: 1;
  id: string;
  /** Set by the adapter of a signed delivery after normalizing (lib/sources/shared/replay.ts). */
  identity?: string;
  source: S;
  kind: string;
  occurredAt: string;
  receivedAt: string;
  severity: Severity;
  outcome: Outcome;
  subject: { name: string; url?: string };
  actor?: { name: string; bot: boolean; url?: string };
  title: string;
  url?: string;
  branch?: string;
  defaultBranch?: string;
  environment?: string;
  labels: string[];
  facts: F;
}

const present = <K extends string>(key: K, value: string | undefined, max?: number): { [P in K]?: string } =>
  (value === undefined ? {} : { [key]: max === undefined ? value : clip(value, max) }) as {
    [P in K]?: string;
  };

/**
 * The one place an event's envelope is assembled: version, source, `<source>.<kind>`, times, and every text
 * clipped to the limits the envelope schema (lib/event/fields.ts) enforces, so a normalized event always
 * validates. URLs come already checked (httpUrlOf) from the source.
 */
export const envelope = <S extends string, F>(source: S, parts: EnvelopeParts<F>): Envelope<S, F> => ({
  v: 1,
  id: clip(parts.id, LIMITS.id),
  source,
  kind: `${source}.${parts.kind}`,
  occurredAt: parts.occurredAt ?? parts.receivedAt,
  receivedAt: parts.receivedAt,
  severity: parts.severity,
  outcome: parts.outcome,
  subject: { name: clip(parts.subject.name, LIMITS.name), ...present('url', parts.subject.url) },
  ...(parts.actor === undefined
    ? {}
    : {
        actor: {
          name: clip(parts.actor.name, LIMITS.name),
          bot: parts.actor.bot,
          ...present('url', parts.actor.url),
        },
      }),
  title: clip(parts.title, LIMITS.title),
  ...present('url', parts.url),
  ...present('branch', parts.branch, LIMITS.name),
  ...present('defaultBranch', parts.defaultBranch, LIMITS.name),
  ...present('environment', parts.environment, LIMITS.name),
  labels: (parts.labels ?? []).slice(0, LIMITS.labels).map((label) => clip(label, LIMITS.label)),
  facts: parts.facts,
});
