import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

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
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Counts what happens to events, per source. */
export interface Counters {
  count(name: MetricName, source: string, value?: number): void;
}

export const noCounters: Counters = { count: () => undefined };

/** CloudWatch metrics in the Embedded Metric Format (Powertools), namespace Vigil, dimension `source`. */
export const cloudWatchCounters = (service: string): Counters => {
  const metrics = new Metrics({ namespace: 'Vigil', serviceName: service });
  return {
    count(name, source, value = 1) {
      const single = metrics.singleMetric();
      single.addDimension('source', source);
      single.addMetric(name, MetricUnit.Count, value);
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
    snapshot: () =>
      Object.fromEntries([...totals].map(([name, bySource]) => [name, Object.fromEntries(bySource)])),
  };
};
