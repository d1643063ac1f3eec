export const METRIC_NAMES = [
  'received',
  'rejected',
  'enqueued',
  'dropped',
  'delivered',
  'retried',
  'locked',
  'digested',
  'unchanged',
  'threads_refused',
  'dead_lettered',
  /** A ledger or conversation write that kept failing after its post went out (logged, never retried by SQS). */
  'state_write_failed',
  /** A failed webhook delivery the source was asked to send again (GitHub's redelivery job). */
  'redelivered',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Counts what happens to events, per source. `flush` ends one invocation's counts (one event, one batch). */
export interface Counters {
  count(name: MetricName, source: string, value?: number): void;
  flush(): void;
}

export const noCounters: Counters = { count: () => undefined, flush: () => undefined };

type Env = Readonly<Record<string, string | undefined>>;

const TRUTHY = new Set(['1', 'y', 'yes', 't', 'true', 'on']);
const truthy = (value: string | undefined): boolean => TRUTHY.has((value ?? '').trim().toLowerCase());

/** Powertools' rule: POWERTOOLS_METRICS_DISABLED when set, else POWERTOOLS_DEV. */
const metricsDisabled = (env: Env): boolean =>
  env.POWERTOOLS_METRICS_DISABLED !== undefined
    ? truthy(env.POWERTOOLS_METRICS_DISABLED)
    : truthy(env.POWERTOOLS_DEV);

/**
 * One CloudWatch Embedded Metric Format record: namespace Vigil, dimensions `service` and `source`, every
 * metric counted for that source since the last flush.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
const emfRecord = (
  service: string,
  source: string,
  counts: ReadonlyMap<MetricName, number>,
  timestamp: number,
): string =>
  JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: 'Vigil',
          Dimensions: [['service', 'source']],
          Metrics: [...counts.keys()].map((name) => ({ Name: name, Unit: 'Count' })),
        },
      ],
    },
    service,
    source,
    ...Object.fromEntries(counts),
  });

/**
 * CloudWatch metrics: counts add up in memory and `flush` writes one EMF line per source to stdout, where
 * Lambda's log capture hands them to CloudWatch. One instance per function container; off when
 * POWERTOOLS_METRICS_DISABLED (or POWERTOOLS_DEV) says so.
 */
export const cloudWatchCounters = (
  service: string,
  env: Env = process.env,
  write: (line: string) => void = (line) => process.stdout.write(line),
  now: () => number = Date.now,
): Counters => {
  if (metricsDisabled(env)) return noCounters;
  const pending = new Map<string, Map<MetricName, number>>();
  return {
    count(name, source, value = 1) {
      let bySource = pending.get(source);
      if (bySource === undefined) {
        bySource = new Map();
        pending.set(source, bySource);
      }
      bySource.set(name, (bySource.get(name) ?? 0) + value);
    },
    flush() {
      if (pending.size === 0) return;
      const timestamp = now();
      let lines = '';
      for (const [source, counts] of pending) lines += `${emfRecord(service, source, counts, timestamp)}\n`;
      pending.clear();
      write(lines);
    },
  };
};

/** In-memory counters for the local stack's /health. */
export const memoryCounters = (): Counters & { snapshot(): Record<string, Record<string, number>> } => {
  const totals = new Map<string, Map<string, number>>();
  return {
    count(name, source, value = 1) {
      const bySource = totals.get(name) ?? new Map<string, number>();
      bySource.set(source, (bySource.get(source) ?? 0) + value);
      totals.set(name, bySource);
    },
    flush: () => undefined,
    snapshot: () =>
      Object.fromEntries([...totals].map(([name, bySource]) => [name, Object.fromEntries(bySource)])),
  };
};
