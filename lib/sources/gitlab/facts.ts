import * as v from 'valibot';
import { bounded, count, envelopeEntries, httpUrl, LIMITS } from '../../event/fields';

/** One GitLab hook: pipelines, jobs, deployments, merge requests, pushes, tag pushes, releases, or anything else. */
export const GitlabFacts = v.object({
  type: v.literal('gitlab'),
  objectKind: bounded(LIMITS.state),
  action: v.optional(bounded(LIMITS.action)),
  status: v.optional(bounded(LIMITS.state)),
  ref: v.optional(bounded(LIMITS.name)),
  refType: v.optional(v.picklist(['branch', 'tag'])),
  sha: v.optional(bounded(LIMITS.sha)),
  number: v.optional(count),
  /** A job's pipeline (build hooks): folds a pipeline's jobs into its conversation. */
  pipelineId: v.optional(count),
  name: v.optional(bounded(LIMITS.shortText)),
  stage: v.optional(bounded(LIMITS.shortText)),
  failureReason: v.optional(bounded(LIMITS.shortText)),
  durationSeconds: v.optional(count),
  commitCount: v.optional(count),
  commits: v.pipe(
    v.array(
      v.object({
        sha: bounded(LIMITS.sha),
        message: bounded(LIMITS.shortText),
        author: bounded(LIMITS.name),
        url: v.optional(httpUrl),
      }),
    ),
    v.maxLength(LIMITS.commits),
  ),
  failedJobs: v.pipe(v.array(bounded(LIMITS.shortText)), v.maxLength(LIMITS.steps)),
  sourceBranch: v.optional(bounded(LIMITS.name)),
  targetBranch: v.optional(bounded(LIMITS.name)),
  text: v.optional(bounded(LIMITS.body)),
  environmentUrl: v.optional(httpUrl),
});
export type GitlabFacts = v.InferOutput<typeof GitlabFacts>;

export const GitlabEvent = v.object({ ...envelopeEntries, source: v.literal('gitlab'), facts: GitlabFacts });
export type GitlabEvent = v.InferOutput<typeof GitlabEvent>;
