import { CLIQ_BUDGET, STORM_CONCURRENCY, type StormResult } from './run';

const byType = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');

/** The storm as a table row per run, so runs at 1×, 2× and 4× line up in the README. */
export const stormReport = (r: StormResult): string =>
  [
    `| storm (${STORM_CONCURRENCY} at a time → local stack → Cliq stand-in at ${CLIQ_BUDGET.postsPerMinute} posts/min per token, ${CLIQ_BUDGET.lockMinutes}-min lock) | events | sent in s | posts | every event named after s | unnamed | duplicates | lock trips | dead-lettered | posts by type |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    `| ${r.scale}×: ${r.groups} Alertmanager groups, ${r.runs} failing CI runs in ${r.repos} repositories | ${r.events} | ${r.sendSeconds.toFixed(1)} | ${r.posts} | ${r.namedSeconds === null ? `not within ${r.capSeconds}` : r.namedSeconds.toFixed(1)} | ${r.unnamed} | ${r.duplicates} | ${r.lockTrips} | ${r.deadLettered} | ${byType(r.postsByType)} |`,
    ...(r.unnamed > 0 ? ['', `unnamed, first few: ${r.unnamedSample.join(', ')}`] : []),
    ...(r.duplicates > 0 ? ['', `named more than once, first few: ${r.duplicateSample.join(', ')}`] : []),
    ...(r.refused > 0 ? ['', `${r.refused} webhooks were not answered 202`] : []),
  ].join('\n');
