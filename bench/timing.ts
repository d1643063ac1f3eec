export const median = (values: readonly number[]): number => percentile(values, 50);

/** Nearest-rank percentile. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? 0;
};

export interface Rounds {
  /** Calls to warm the JIT before calibrating. */
  readonly warmup: number;
  /** Time each function gets in total, spread over the rounds. */
  readonly targetMs: number;
  readonly rounds: number;
}

/**
 * Median per-call time of each function, in microseconds, over rounds that interleave them, so a burst of load
 * on the shared machine lands on all of them rather than on one.
 */
export const timeRounds = async (fns: readonly (() => unknown)[], options: Rounds): Promise<number[]> => {
  for (const fn of fns) for (let i = 0; i < options.warmup; i++) await fn();
  const start = performance.now();
  const probe = Math.max(10, Math.floor(options.warmup / 5));
  for (const fn of fns) for (let i = 0; i < probe; i++) await fn();
  const per = Math.max(0.001, (performance.now() - start) / probe / fns.length);
  const iterations = Math.max(20, Math.round(options.targetMs / options.rounds / fns.length / per));
  const samples: number[][] = fns.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, fn] of fns.entries()) {
      const t0 = performance.now();
      for (let i = 0; i < iterations; i++) await fn();
      samples[index]?.push(((performance.now() - t0) * 1000) / iterations);
    }
  }
  return samples.map(median);
};
