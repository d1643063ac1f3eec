export type Clock = () => number;
export type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps posts to one Cliq owner (one user's token) at least `60 / postsPerMinute` seconds apart, and holds an
 * owner back while Cliq's rate-limit lock should be on.
 *
 * Why no 60 s window can hold more than `postsPerMinute` posts, across every sender invocation and without a
 * database: all messages of one owner share one FIFO group, and SQS hands a group to one consumer at a time,
 * in order; a batch's posts for an owner are spaced by this pacer; and `settle()` runs before the batch
 * returns, so the batch ends no sooner than one spacing after its last post, and the next batch of that
 * group (in any container) cannot post before then. Every two consecutive posts of an owner are therefore at
 * least one spacing apart, and a 60 s window fits at most `postsPerMinute` of them.
 */
export class Pacer {
  private readonly lastPost = new Map<string, number>();
  private readonly lockedUntil = new Map<string, number>();
  private readonly spacingMs: number;

  constructor(
    postsPerMinute: number,
    private readonly now: Clock = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {
    this.spacingMs = Math.ceil(60_000 / postsPerMinute);
  }

  get spacing(): number {
    return this.spacingMs;
  }

  /** Waits until the owner may post, then records the post. */
  async beforePost(owner: string): Promise<void> {
    const last = this.lastPost.get(owner);
    if (last !== undefined) {
      const wait = last + this.spacingMs - this.now();
      if (wait > 0) await this.sleep(wait);
    }
    this.lastPost.set(owner, this.now());
  }

  /** Milliseconds until the owner may post again without waiting (0: now). */
  waitFor(owner: string): number {
    const last = this.lastPost.get(owner);
    return last === undefined ? 0 : Math.max(0, last + this.spacingMs - this.now());
  }

  /** Before a batch returns: wait until every owner it posted for is one spacing past its last post. */
  async settle(): Promise<void> {
    const now = this.now();
    let wait = 0;
    for (const last of this.lastPost.values()) wait = Math.max(wait, last + this.spacingMs - now);
    if (wait > 0) await this.sleep(wait);
  }

  lock(owner: string, seconds: number): void {
    this.lockedUntil.set(owner, Math.max(this.lockedUntil.get(owner) ?? 0, this.now() + seconds * 1000));
  }

  /** Seconds left on the owner's lock, or 0. */
  lockedFor(owner: string): number {
    const until = this.lockedUntil.get(owner);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) {
      this.lockedUntil.delete(owner);
      return 0;
    }
    return Math.ceil(left / 1000);
  }

  /** Owners currently locked, with seconds left (for /health). */
  locks(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const owner of [...this.lockedUntil.keys()]) {
      const left = this.lockedFor(owner);
      if (left > 0) out[owner] = left;
    }
    return out;
  }
}
