import type { Log } from '../log';
import type { OutboxStore } from '../state/outbox-store';

export interface TickerDeps {
  readonly store: OutboxStore;
  /** Puts a tick into the owner's FIFO group. */
  readonly tick: (owner: string) => Promise<void>;
  readonly now?: () => number;
  readonly log: Log;
}

/**
 * The schedule's side of the outbox: a tick for every owner with an event due, so what waits (a Cliq lock
 * lifting, a quiet-hours window ending, an hourly digest) is sent without waiting for new traffic. The tick
 * goes into the owner's own FIFO group, so the sender stays the only one handling an owner's outbox.
 * Returns the owners ticked.
 */
export const runTicks = async (deps: TickerDeps): Promise<string[]> => {
  const now = (deps.now ?? Date.now)();
  const ticked: string[] = [];
  for await (const waiting of deps.store.waitingOwners()) {
    if (waiting.dueAt > now) continue;
    try {
      await deps.tick(waiting.owner);
      ticked.push(waiting.owner);
    } catch (error) {
      // the next minute's tick tries again; the other owners still get theirs
      deps.log.error('could not queue a tick', { owner: waiting.owner, error: (error as Error).message });
    }
  }
  if (ticked.length > 0) deps.log.info('ticked', { owners: ticked.length });
  return ticked;
};
