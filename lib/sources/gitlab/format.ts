import type { CliqMessage } from '../../cliq/message';
import { button, eventCard, labelSlide, listSlide, textSlide } from '../../format/card';
import { formatDuration } from '../../util/text';
import type { GitlabEvent } from './facts';

/** The Cliq card for a Gitlab event. */
export const formatGitlab = (event: GitlabEvent): CliqMessage => {
  const { facts } = event;
  const shown = facts.commits.slice(-10).reverse();
  return eventCard(event, {
    slides: [
      labelSlide(facts.objectKind.replace(/_/g, ' '), [
        [facts.refType === 'tag' ? 'Tag' : 'Branch', facts.ref],
        [
          'Branches',
          facts.sourceBranch && facts.targetBranch
            ? `${facts.sourceBranch} → ${facts.targetBranch}`
            : undefined,
        ],
        ['Status', facts.status],
        ['Stage', facts.stage],
        ['Failure', facts.failureReason?.replace(/_/g, ' ')],
        ['Environment', event.environment],
        ['Commit', facts.sha?.slice(0, 8)],
        ['Commits', facts.commitCount],
        ['Duration', facts.durationSeconds === undefined ? undefined : formatDuration(facts.durationSeconds)],
        ['Labels', event.labels.join(', ')],
        ['By', event.actor?.name],
      ]),
      listSlide('Failed jobs', facts.failedJobs),
      listSlide(
        'Commits',
        shown.map((commit) => `${commit.sha.slice(0, 8)} ${commit.message} (${commit.author})`),
      ),
      textSlide(facts.objectKind === 'merge_request' ? 'Description' : 'Details', facts.text),
    ],
    buttons: [
      button(
        facts.objectKind === 'build'
          ? 'View job'
          : facts.objectKind === 'pipeline'
            ? 'View pipeline'
            : 'Open in GitLab',
        event.url,
        event.outcome === 'failure' ? '-' : event.outcome === 'success' ? '+' : undefined,
      ),
      button('Open environment', facts.environmentUrl),
    ],
  });
};
