import type { DeadLetter } from '../../dlq/dead-letters';

/**
 * How long the console answers from its last reading of the DLQ. Reading a FIFO DLQ whole moves every message
 * in it, so a page's requests close together (the list, then a letter's details) share one reading.
 */
export const LISTING_SECONDS = 5;

export interface DeadLetterCache {
  /** The last reading if it is recent or still under way (requests at once share it), else a new one. */
  letters(): Promise<readonly DeadLetter[]>;
  /** The DLQ has changed (a redrive, a new dead letter): the next request reads it again. */
  forget(): void;
}

export const cacheDeadLetters = (
  read: () => Promise<readonly DeadLetter[]>,
  now: () => number = Date.now,
  seconds: number = LISTING_SECONDS,
): DeadLetterCache => {
  interface Reading {
    readonly letters: Promise<readonly DeadLetter[]>;
    /** When it ended; undefined while it is under way. */
    readAt?: number;
  }
  let last: Reading | undefined;
  const fresh = (reading: Reading | undefined): reading is Reading =>
    reading !== undefined && (reading.readAt === undefined || now() - reading.readAt < seconds * 1000);
  return {
    letters: () => {
      if (fresh(last)) return last.letters;
      const reading: Reading = { letters: read() };
      last = reading;
      reading.letters.then(
        () => {
          reading.readAt = now();
        },
        () => {
          if (last === reading) last = undefined;
        },
      );
      return reading.letters;
    },
    forget: () => {
      last = undefined;
    },
  };
};
