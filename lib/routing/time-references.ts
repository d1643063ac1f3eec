import type { RoutingConfig } from './schema';

type PathKey = string | number;

/**
 * What the schema alone cannot see about `time_intervals`: two with one name (Alertmanager refuses that
 * too), and a `hold_during` on a route or channel naming an interval the file does not define.
 */
export const timeReferenceProblems = (
  config: RoutingConfig,
): { readonly path: readonly PathKey[]; readonly message: string }[] => {
  const problems: { path: readonly PathKey[]; message: string }[] = [];
  const intervals = config.time_intervals ?? [];
  const seen = new Map<string, number>();
  intervals.forEach((interval, index) => {
    const first = seen.get(interval.name);
    if (first !== undefined)
      problems.push({
        path: ['time_intervals', index, 'name'],
        message: `"${interval.name}" is used by time_intervals[${first}] too: time interval names must be unique`,
      });
    else seen.set(interval.name, index);
  });
  const defined = intervals.length === 0 ? 'none is defined' : `defined: ${[...seen.keys()].join(', ')}`;
  const check = (path: readonly PathKey[], names: readonly string[] | undefined) => {
    names?.forEach((name, position) => {
      if (!seen.has(name))
        problems.push({
          path: [...path, 'hold_during', position],
          message: `names time interval "${name}", which is not under time_intervals (${defined})`,
        });
    });
  };
  config.routes.forEach((route, index) => {
    check(['routes', index], route.hold_during);
  });
  for (const [name, channel] of Object.entries(config.channels))
    check(['channels', name], channel?.hold_during);
  return problems;
};
