import { type Subject, subjectKey } from '../../conversation/subject-key';
import type { GitlabEvent } from './facts';

const FINAL_GITLAB = new Set(['success', 'failed', 'canceled', 'cancelled', 'skipped']);

/** A GitLab pipeline's own name, not the `Pipeline #123` Vigil shows when it has none. */
const pipelineName = (name: string | undefined): string | undefined =>
  name === undefined || /^Pipeline #\d*$/.test(name) ? undefined : name;

/** A merge request and a deployment are threads; a finished pipeline is CI, and a running one and its jobs fold into it. */
export const gitlabSubject = (event: GitlabEvent): Subject | undefined => {
  const project = event.subject.name;
  const facts = event.facts;
  switch (facts.objectKind) {
    case 'merge_request':
      return facts.number === undefined
        ? undefined
        : {
            key: subjectKey('gitlab', project, 'mr', facts.number),
            family: 'thread',
            label: `merge request !${facts.number}`,
          };
    case 'deployment':
      return {
        key: subjectKey('gitlab', project, 'deployment', event.environment, facts.number ?? facts.sha),
        family: 'thread',
        label: `the deployment to ${event.environment ?? 'an environment'}`,
      };
    case 'pipeline': {
      const name = pipelineName(facts.name);
      const ciKey = subjectKey('gitlab', project, 'pipeline', facts.ref);
      const runKeys = [subjectKey('gitlab', project, 'pipeline-run', facts.number ?? facts.sha)];
      return FINAL_GITLAB.has(facts.status ?? '')
        ? {
            key: ciKey,
            family: 'ci',
            label: `${name === undefined ? 'the pipeline' : `pipeline ${name}`} on ${facts.ref ?? 'its ref'}`,
            runKeys,
          }
        : { key: runKeys[0] ?? ciKey, family: 'ci-part', label: 'a running pipeline', runKeys, ciKey };
    }
    case 'build': {
      const runKeys = [
        facts.pipelineId === undefined
          ? subjectKey('gitlab', project, 'job', facts.number)
          : subjectKey('gitlab', project, 'pipeline-run', facts.pipelineId),
      ];
      return {
        key: runKeys[0] ?? subjectKey('gitlab', project, 'job', facts.number),
        family: 'ci-part',
        label: 'a job of a pipeline',
        runKeys,
        ciKey: subjectKey('gitlab', project, 'pipeline', facts.ref),
      };
    }
    default:
      return undefined;
  }
};
