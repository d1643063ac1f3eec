import { loadConfig } from '../config';
import { createLog } from '../log';
import { type Counters, cloudWatchCounters } from '../metrics';
import { loadRouting } from '../routing/load';
import type { RoutingConfig } from '../routing/schema';
import { hooksApi } from '../sources/github/redeliver/api';
import { GITHUB_API_TOKEN_KEY, type RedeliverDeps } from '../sources/github/redeliver/run';
import { type Env, secretSourceFor } from './aws';

/**
 * The redelivery job's dependencies: the routing file's hooks, the token from the secret (locally, the
 * environment), GitHub's API at GITHUB_API_URL. The local stack passes its routing, log and counters.
 */
export const redeliverDeps = (
  env: Env = process.env,
  routing: RoutingConfig = loadRouting(env).config,
  overrides: { readonly log?: RedeliverDeps['log']; readonly counters?: Counters } = {},
): RedeliverDeps => {
  const config = loadConfig(env);
  const secrets = secretSourceFor(config, env);
  return {
    hooks: routing.github?.hooks ?? [],
    // a secret may hold a comma-separated list for rotation: the first value is the one in use
    token: async () => (await secrets())[GITHUB_API_TOKEN_KEY]?.split(',')[0]?.trim() || undefined,
    api: (token) => hooksApi({ baseUrl: config.githubApiUrl, token }),
    windowMs: config.redeliverWindowMinutes * 60_000,
    log: overrides.log ?? createLog('vigil-redeliver', env),
    counters: overrides.counters ?? cloudWatchCounters('vigil-redeliver', env),
  };
};
