/** A dead letter's age as people read it: `45s`, `12m`, `3h`. Used by `npm run dlq` and the console page. */
export const age = (seconds: number): string =>
  seconds < 120
    ? `${seconds}s`
    : seconds < 7200
      ? `${Math.round(seconds / 60)}m`
      : `${Math.round(seconds / 3600)}h`;
