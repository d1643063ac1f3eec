import { sha256Hex } from '../util/hash';

/**
 * How a subject's conversation behaves:
 * - `thread`: a pull/merge request, issue, deployment, security alert or Sentry issue; one thread for its life.
 * - `incident`: an alert group, a Sentry metric alert, a Docker container; the conversation ends when it
 *   recovers (a success), and the next problem opens a new thread.
 * - `ci`: a run's result for a workflow, pipeline or external check on a branch: changes, not repeats.
 * - `ci-part`: a job, check run, check suite or in-progress notice of a run: folded into that run.
 */
export type SubjectFamily = 'thread' | 'incident' | 'ci' | 'ci-part';

/**
 * What an event is about, as each source's rules say (lib/sources/<name>/subject.ts). Its keys are stored in
 * the state table: a rule that changes one strands every conversation already kept under it.
 */
export interface Subject {
  /** The conversation's key, per channel (bounded: long names are hashed). */
  readonly key: string;
  readonly family: SubjectFamily;
  /** What people follow, in words (`npm run route`). */
  readonly label: string;
  /** `ci` and `ci-part`: every id naming the event's run (the first preferred); all fold into one conversation. */
  readonly runKeys?: readonly string[];
  /** `ci-part`: the CI subject, when the event names its workflow or pipeline and branch. */
  readonly ciKey?: string;
  /**
   * A GitHub Actions run's commit (`github:<repo>:head:<sha>`): the first part of a run to arrive points it
   * to the run's state, so parts that cannot name each other's ids (a check suite knows only its suite, a
   * job only its run) still find one another.
   */
  readonly commitKey?: string;
  /** The run the event names by its run id: a run state that another run id already joined is not its run. */
  readonly claim?: string;
}

const MAX_KEY = 400;

/** Keys stay well inside DynamoDB's key limits: a long one keeps its head and ends in a hash of the whole. */
export const boundKey = (key: string): string =>
  key.length <= MAX_KEY ? key : `${key.slice(0, MAX_KEY - 34)}#${sha256Hex(key).slice(0, 32)}`;

/** A subject's key from its parts, `:`-joined (a missing part stays an empty segment), bounded. */
export const subjectKey = (...parts: readonly (string | number | undefined)[]): string =>
  boundKey(parts.map((part) => String(part ?? '')).join(':'));
