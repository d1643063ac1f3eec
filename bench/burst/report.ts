import type { BurstResult } from './run';

const ms = (n: number) => n.toFixed(0);

/** The burst as one table row, with the goals (0 refused, every event queued once, p99 under 1 s) checked. */
export const burstReport = (r: BurstResult): string => {
  const refused = r.refused429 + r.refused5xx + r.other;
  const met =
    refused === 0 && r.queued === r.webhooks && r.duplicates === 0 && r.lost === 0 && r.p99Ms < 1000;
  return [
    `| burst (${r.connections} connections → local stack, gateway ${r.throttle.rate}/s burst ${r.throttle.burst}, high-throughput FIFO quota modelled) | webhooks | sent in s | accepted | refused 429 | refused 5xx | other | p50 ms | p99 ms | max ms | queued | duplicates | lost | SQS calls throttled |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| workflow_job + check_run completions of fail-fast 256-job matrices, in ${r.targetSeconds} s | ${r.webhooks} | ${r.sendSeconds.toFixed(1)} | ${r.accepted} | ${r.refused429} | ${r.refused5xx} | ${r.other} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${ms(r.maxMs)} | ${r.queued} | ${r.duplicates} | ${r.lost} | ${r.sqsThrottled} |`,
    '',
    met
      ? 'goal met: 0 refused, every event queued once, p99 under 1 s'
      : `goal missed: ${[
          refused > 0 ? `${refused} refused` : '',
          r.queued < r.webhooks ? `${r.webhooks - r.queued} never queued` : '',
          r.duplicates > 0 ? `${r.duplicates} queued twice` : '',
          r.p99Ms >= 1000 ? `p99 ${ms(r.p99Ms)} ms` : '',
        ]
          .filter(Boolean)
          .join(', ')}`,
  ].join('\n');
};
