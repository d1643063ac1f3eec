import { count, str } from '../../util/json';
import { defined } from '../../util/object';
import { httpUrlOf } from '../../util/url';
import { OUTCOME, type Parts, PRODUCTION, VERB } from './common';

export const deployment = (payload: unknown): Parts => {
  const status = str(payload, 'status');
  const environment = str(payload, 'environment');
  const outcome = OUTCOME[status ?? ''] ?? 'none';
  return {
    title: `Deployment to ${environment ?? 'an environment'} ${VERB[status ?? ''] ?? status ?? 'updated'}${str(payload, 'ref') ? ` (${str(payload, 'ref')})` : ''}`,
    outcome,
    severity:
      outcome === 'failure'
        ? environment !== undefined &&
          (PRODUCTION.test(environment) || str(payload, 'environment_tier') === 'production')
          ? 'critical'
          : 'error'
        : undefined,
    url: httpUrlOf(str(payload, 'deployable_url')) ?? httpUrlOf(str(payload, 'project', 'web_url')),
    environment,
    action: status,
    facts: defined({
      status,
      ref: str(payload, 'ref'),
      sha: str(payload, 'short_sha'),
      number: count(payload, 'deployment_id'),
      name: environment,
      text: str(payload, 'commit_title'),
      environmentUrl: httpUrlOf(str(payload, 'environment_external_url')),
    }),
  };
};
