/**
 * How long a record waits before SQS offers it again after a transient failure, from its receive count:
 * exponential from `baseSeconds`, capped at `maxSeconds`, with "equal jitter" (half fixed, half random) so a
 * burst of failures does not come back in lockstep. Defaults 10 s → 15 min: with maxReceiveCount 25 a
 * record survives about 4 hours of outage before it is dead-lettered (see README, Operations).
 */
export const backoffSeconds = (
  receiveCount: number,
  baseSeconds: number,
  maxSeconds: number,
  random: () => number = Math.random,
): number => {
  const attempt = Math.max(1, Math.floor(receiveCount));
  const ceiling = Math.min(maxSeconds, baseSeconds * 2 ** Math.min(attempt - 1, 30));
  const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
  // SQS accepts 0..43200 seconds
  return Math.min(43_200, Math.max(1, delay));
};

/** The longest a record can take to reach the DLQ with no jitter luck: the sum of the lower bounds. */
export const minimumSurvivalSeconds = (
  maxReceiveCount: number,
  baseSeconds: number,
  maxSeconds: number,
): number => {
  let total = 0;
  for (let receive = 1; receive < maxReceiveCount; receive++)
    total += backoffSeconds(receive, baseSeconds, maxSeconds, () => 0);
  return total;
};
