import type { Log } from '../../../log';
import type { Counters } from '../../../metrics';
import type { GithubHook } from '../../../routing/schema';
import { type ApiFailure, type HooksApi, hookName } from './api';
import { toRedeliver } from './delivery';

/** The secret key of the GitHub token that lists and redelivers the hooks' deliveries. */
export const GITHUB_API_TOKEN_KEY = 'GITHUB_API_TOKEN';

export interface RedeliverDeps {
  /** The routing file's `github.hooks`. */
  readonly hooks: readonly GithubHook[];
  /** The token (GITHUB_API_TOKEN), read only when there are hooks; undefined when it is not configured. */
  readonly token: () => Promise<string | undefined>;
  readonly api: (token: string) => HooksApi;
  /** How far back a run looks for failed deliveries. */
  readonly windowMs: number;
  readonly now?: () => number;
  readonly log: Log;
  readonly counters: Counters;
}

export interface HookReport {
  readonly hook: string;
  readonly redelivered: number;
  /** Why the hook (or part of it) was not processed. */
  readonly problem?: ApiFailure['kind'];
}

export interface RedeliverReport {
  readonly redelivered: number;
  readonly hooks: readonly HookReport[];
  /** Why the run did nothing, or stopped before its last hook. */
  readonly stopped?: 'no_hooks' | 'no_token' | 'unauthorized' | 'rate_limited';
}

/** What to fix, per failure, in the words an operator acts on. */
const advice = (failure: ApiFailure, hook: string): string => {
  switch (failure.kind) {
    case 'unauthorized':
      return `GitHub refused ${GITHUB_API_TOKEN_KEY} (401): it is missing, expired or revoked; set a valid token`;
    case 'forbidden':
      return `GitHub refused ${hook} (403): the token needs admin:repo_hook (a repository hook) or admin:org_hook (an organization hook), or, fine-grained, Webhooks read and write`;
    case 'not_found':
      return `GitHub knows no ${hook} (404): the hook was deleted, its id is wrong, or the token cannot see it`;
    case 'rate_limited':
      return 'GitHub rate-limited the token: this run stops here and the next one carries on';
    case 'failed':
      return `GitHub's API failed for ${hook} (${failure.status}): the next run tries again`;
  }
};

const stops = (
  failure: ApiFailure,
): failure is Extract<ApiFailure, { kind: 'unauthorized' | 'rate_limited' }> =>
  failure.kind === 'unauthorized' || failure.kind === 'rate_limited';

/**
 * One scheduled run, as GitHub's "Handling failed webhook deliveries" describes: list each configured hook's
 * deliveries within the window, pick the events every attempt at which failed, and ask GitHub to redeliver
 * each once. A redelivery keeps its X-GitHub-Delivery and body, so the ledger posts an event that did reach
 * Vigil (GitHub timed out after ingest answered) only once. A hook GitHub refuses is logged and skipped; a
 * refused token or a rate limit ends the run, since every later request would meet the same answer.
 */
export const runRedelivery = async (deps: RedeliverDeps): Promise<RedeliverReport> => {
  const { log, counters } = deps;
  if (deps.hooks.length === 0) return { redelivered: 0, hooks: [], stopped: 'no_hooks' };
  const token = await deps.token();
  if (token === undefined) {
    log.warn(
      `${GITHUB_API_TOKEN_KEY} is not set: failed deliveries of the ${deps.hooks.length} GitHub hooks in the routing file are not redelivered`,
    );
    return { redelivered: 0, hooks: [], stopped: 'no_token' };
  }
  const api = deps.api(token);
  const since = (deps.now ?? Date.now)() - deps.windowMs;
  const reports: HookReport[] = [];
  let total = 0;
  const finish = (stopped?: RedeliverReport['stopped']): RedeliverReport => {
    if (total > 0) counters.count('redelivered', 'github', total);
    counters.flush();
    log.info('github redelivery run', { redelivered: total, hooks: reports.length });
    return { redelivered: total, hooks: reports, ...(stopped === undefined ? {} : { stopped }) };
  };

  for (const hook of deps.hooks) {
    const name = hookName(hook);
    const listed = await api.deliveriesSince(hook, since);
    if (!listed.ok) {
      const failure = listed.error;
      log.error(advice(failure, name), { hook: name, status: failure.kind, githubMessage: failure.message });
      reports.push({ hook: name, redelivered: 0, problem: failure.kind });
      if (stops(failure)) return finish(failure.kind);
      continue;
    }
    let redelivered = 0;
    let problem: ApiFailure['kind'] | undefined;
    for (const { delivery, failedAttempts } of toRedeliver(listed.value, since)) {
      const fields = {
        hook: name,
        deliveryId: delivery.guid,
        githubDeliveryId: delivery.id,
        event: delivery.event,
        action: delivery.action ?? undefined,
        statusCode: delivery.status_code,
        githubStatus: delivery.status,
        failedAttempts,
      };
      const sent = await api.redeliver(hook, delivery.id);
      if (!sent.ok) {
        log.error(advice(sent.error, name), {
          ...fields,
          status: sent.error.kind,
          githubMessage: sent.error.message,
        });
        if (stops(sent.error)) {
          reports.push({ hook: name, redelivered, problem: sent.error.kind });
          total += redelivered;
          return finish(sent.error.kind);
        }
        // a token that may read the hook but not redeliver meets the same 403 for every delivery: said once
        if (sent.error.kind === 'forbidden' || sent.error.kind === 'not_found') {
          problem = sent.error.kind;
          break;
        }
        continue;
      }
      redelivered += 1;
      log.info('asked GitHub to redeliver a failed delivery', fields);
    }
    total += redelivered;
    reports.push({ hook: name, redelivered, ...(problem === undefined ? {} : { problem }) });
  }
  return finish();
};
