import { redactTokens } from '../cliq/channel-url';
import type { Log } from '../log';
import type { Counters } from '../metrics';

/**
 * The waits between tries of a state write that follows a post, in milliseconds, each with equal jitter (half
 * fixed, half random): DynamoDB's throttling and 5xx pass within about a second, well inside one invocation.
 */
export const STATE_WRITE_WAITS_MS = [50, 100, 200, 400] as const;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What a write is about, for its log line: never a URL or a secret. */
export interface WriteAbout {
  readonly channel: string;
  readonly source: string;
  readonly eventId?: string;
}

/**
 * Writes what a post (or a dead letter) left to remember, and never throws: once Cliq has answered 2xx, a
 * failed record would post again on its retry, so a state write that fails is tried again here, then logged
 * and counted (`state_write_failed`). Resolves to whether it was written.
 */
export type StateWrite = (
  what: string,
  about: WriteAbout,
  write: () => Promise<unknown>,
  /** What the write follows, for its log line. */
  after?: string,
) => Promise<boolean>;

export const createStateWrite =
  (deps: {
    readonly log: Log;
    readonly counters: Counters;
    readonly sleep?: ((ms: number) => Promise<void>) | undefined;
    readonly random?: () => number;
  }): StateWrite =>
  async (what, about, write, after = 'the post') => {
    const wait = deps.sleep ?? sleep;
    const random = deps.random ?? Math.random;
    for (let tries = 1; ; tries += 1) {
      try {
        await write();
        return true;
      } catch (error) {
        const ms = STATE_WRITE_WAITS_MS[tries - 1];
        if (ms !== undefined) {
          await wait(Math.round(ms / 2 + random() * (ms / 2)));
          continue;
        }
        const failure = error instanceof Error ? error : new Error(String(error));
        deps.log.error(`state write failed after ${after}: ${what} not written`, {
          ...about,
          tries,
          error: failure.name,
          detail: redactTokens(failure.message),
        });
        deps.counters.count('state_write_failed', about.source);
        return false;
      }
    }
  };
