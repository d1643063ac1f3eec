import { LIMITS } from '../../event/fields';
import { at, bool, count, list, num, str } from '../../util/json';
import { defined } from '../../util/object';
import { clip } from '../../util/text';
import { httpUrlOf } from '../../util/url';
import { OUTCOME, type Parts, refOf, VERB } from './common';

/** Pipelines and jobs (`build` hooks). */
export const pipeline = (payload: unknown): Parts => {
  const attributes = at(payload, 'object_attributes');
  const status = str(attributes, 'status');
  const { ref, refType } = refOf(str(attributes, 'ref'), bool(attributes, 'tag'));
  const name = str(attributes, 'name') ?? `Pipeline #${num(attributes, 'id') ?? ''}`;
  const failedJobs = list(payload, 'builds')
    .filter((build) => str(build, 'status') === 'failed' && !bool(build, 'allow_failure'))
    .map((build) =>
      clip(
        `${str(build, 'stage') ?? ''}/${str(build, 'name') ?? 'job'}${str(build, 'failure_reason') ? ` (${str(build, 'failure_reason')})` : ''}`,
        LIMITS.shortText,
      ),
    )
    .slice(0, LIMITS.steps);
  return {
    title: `${name} ${VERB[status ?? ''] ?? status ?? 'updated'}${ref === undefined ? '' : ` on ${ref}`}`,
    outcome: OUTCOME[status ?? ''] ?? 'none',
    url: httpUrlOf(str(attributes, 'url')),
    branch: refType === 'branch' ? ref : undefined,
    action: status,
    facts: defined({
      status,
      ref,
      refType,
      sha: str(attributes, 'sha')?.slice(0, 12),
      number: count(attributes, 'id'),
      name,
      durationSeconds: count(attributes, 'duration'),
      failedJobs,
      text: str(payload, 'commit', 'title') ?? str(payload, 'commit', 'message'),
    }),
  };
};

export const job = (payload: unknown): Parts => {
  const status = str(payload, 'build_status');
  const { ref, refType } = refOf(str(payload, 'ref'), bool(payload, 'tag'));
  const name = str(payload, 'build_name') ?? 'job';
  const homepage = httpUrlOf(str(payload, 'repository', 'homepage') ?? str(payload, 'project', 'web_url'));
  const id = count(payload, 'build_id');
  const allowed = bool(payload, 'build_allow_failure');
  return {
    title: `Job ${name} ${VERB[status ?? ''] ?? status ?? 'updated'}${ref === undefined ? '' : ` on ${ref}`}`,
    outcome: status === 'failed' && allowed ? 'neutral' : (OUTCOME[status ?? ''] ?? 'none'),
    url: homepage === undefined || id === undefined ? homepage : `${homepage}/-/jobs/${id}`,
    branch: refType === 'branch' ? ref : undefined,
    action: status,
    facts: defined({
      status,
      ref,
      refType,
      sha: str(payload, 'sha')?.slice(0, 12),
      number: id,
      pipelineId: count(payload, 'pipeline_id'),
      name,
      stage: str(payload, 'build_stage'),
      failureReason: status === 'failed' ? str(payload, 'build_failure_reason') : undefined,
      durationSeconds: count(payload, 'build_duration'),
    }),
  };
};
