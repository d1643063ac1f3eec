const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * An event's time in nanoseconds, from the digits of `timeNano` (a JSON number too large for a double to
 * hold exactly) or else from `time` in seconds. Undefined for a line that is not a docker event.
 */
export const eventTimeNano = (line: string): bigint | undefined => {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof event !== 'object' || event === null) return undefined;
  const record = event as Record<string, unknown>;
  if (typeof record.timeNano === 'number') {
    // docker writes timeNano after Actor, so the last match is the event's own, not a label's
    const digits = [...line.matchAll(/"timeNano"\s*:\s*(\d+)/g)].at(-1)?.[1];
    if (digits !== undefined) return BigInt(digits);
  }
  if (typeof record.time === 'number' && Number.isInteger(record.time)) {
    return BigInt(record.time) * NANOS_PER_SECOND;
  }
  return undefined;
};

/** Docker's `--since` form for a Unix time: seconds[.nanoseconds]. */
export const formatSince = (nanos: bigint): string =>
  `${nanos / NANOS_PER_SECOND}.${(nanos % NANOS_PER_SECOND).toString().padStart(9, '0')}`;

/**
 * Where to pick `docker events` up again once it has ended: the time of the last event seen, or when reading
 * began if none was. Docker's `--since` includes events at exactly that time, so the cursor also remembers
 * the lines it saw at that time and calls their replay a duplicate.
 */
export class EventCursor {
  private seenAtLast = new Set<string>();

  /** `last`: a time read from disk by a forwarder that ran before this one (its next run reads from there). */
  constructor(
    private readonly startedAt: bigint,
    private last: bigint | undefined = undefined,
  ) {}

  /** The time of the last event seen, to keep on disk. */
  get lastNanos(): bigint | undefined {
    return this.last;
  }

  /** Notes a line; false when it is one already seen, replayed by `--since`. */
  observe(line: string): boolean {
    const time = eventTimeNano(line);
    if (time === undefined) return true;
    const key = line.trim();
    if (this.last === undefined || time > this.last) {
      this.last = time;
      this.seenAtLast = new Set([key]);
      return true;
    }
    if (time < this.last) return true; // docker can print events a hair out of order; --since never replays these
    if (this.seenAtLast.has(key)) return false;
    this.seenAtLast.add(key);
    return true;
  }

  /** The `--since` argument for the next `docker events`. */
  since(): string {
    return formatSince(this.last ?? this.startedAt);
  }
}
