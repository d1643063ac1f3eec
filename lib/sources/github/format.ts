import type { CliqMessage } from '../../cliq/message';
import { button, type CardParts, eventCard, labelSlide, listSlide, textSlide } from '../../format/card';
import { formatDuration } from '../../util/text';
import { wellFormed } from '../../util/well-formed';
import type { GithubEvent, GithubFacts } from './facts';

type Of<T extends GithubFacts['type']> = Extract<GithubFacts, { type: T }>;
type Body = Pick<CardParts, 'slides' | 'buttons'>;

const outcomeButton = (event: GithubEvent): '+' | '-' | undefined =>
  event.outcome === 'failure' ? '-' : event.outcome === 'success' ? '+' : undefined;

const repoPath = (event: GithubEvent, path: string): string | undefined =>
  event.subject.url === undefined ? undefined : `${event.subject.url}/${path}`;

const push = (event: GithubEvent, facts: Of<'push'>): Body => {
  const shown = facts.commits.slice(-10).reverse();
  const more = facts.commitCount - shown.length;
  return {
    slides: [
      labelSlide('Push', [
        [facts.refType === 'tag' ? 'Tag' : 'Branch', facts.ref],
        ['Commits', facts.deleted ? undefined : facts.commitCount],
        ['Forced', facts.forced && 'yes ⚠️'],
        ['Pusher', event.actor?.name],
      ]),
      listSlide('Commits', [
        ...shown.map((commit) => `${commit.sha.slice(0, 7)} ${commit.message} (${commit.author})`),
        ...(more > 0 ? [`…and ${more} more`] : []),
      ]),
    ],
    buttons: [
      button('Compare', facts.deleted ? undefined : facts.compareUrl),
      button(
        facts.refType === 'tag' ? 'View tag' : 'View branch',
        facts.deleted ? undefined : repoPath(event, `tree/${encodeURIComponent(wellFormed(facts.ref))}`),
      ),
    ],
  };
};

const pullRequest = (event: GithubEvent, facts: Of<'pull_request'>): Body => ({
  slides: [
    labelSlide('Pull request', [
      ['Number', `#${facts.number}`],
      ['Branches', facts.headRef && facts.baseRef ? `${facts.headRef} → ${facts.baseRef}` : facts.baseRef],
      ['State', facts.merged ? 'merged' : facts.draft ? `${facts.state} (draft)` : facts.state],
      ['Review', facts.reviewState?.replace(/_/g, ' ')],
      [
        'Changes',
        facts.additions !== undefined
          ? `+${facts.additions} −${facts.deletions ?? 0} in ${facts.changedFiles ?? '?'} files`
          : undefined,
      ],
      ['By', event.actor?.name],
    ]),
    textSlide('Review', facts.body),
  ],
  buttons: [button('View pull request', event.url, outcomeButton(event))],
});

const issue = (event: GithubEvent, facts: Of<'issue'>): Body => ({
  slides: [
    labelSlide(facts.isPullRequest ? 'Pull request' : 'Issue', [
      ['Number', `#${facts.number}`],
      ['State', facts.state],
      ['Labels', event.labels.join(', ')],
      ['By', event.actor?.name],
    ]),
    textSlide(facts.action === 'created' ? 'Comment' : 'Description', facts.body),
  ],
  buttons: [button(facts.isPullRequest ? 'View pull request' : 'View issue', event.url)],
});

const release = (event: GithubEvent, facts: Of<'release'>): Body => ({
  slides: [
    labelSlide('Release', [
      ['Tag', facts.tag],
      ['Type', facts.draft ? 'draft' : facts.prerelease ? 'pre-release' : 'release'],
      ['By', event.actor?.name],
    ]),
    textSlide('Notes', facts.body),
  ],
  buttons: [button('View release', event.url, '+')],
});

const RUN_NOUN = {
  workflow_run: 'Workflow',
  workflow_job: 'Job',
  check_run: 'Check',
  check_suite: 'Check suite',
} as const;

const run = (event: GithubEvent, facts: Of<'run'>): Body => ({
  slides: [
    labelSlide(RUN_NOUN[facts.event], [
      [RUN_NOUN[facts.event], facts.name],
      ['Workflow', facts.workflowName !== facts.name ? facts.workflowName : undefined],
      ['Result', facts.conclusion ?? facts.status],
      ['Branch', event.branch],
      ['Commit', facts.headSha?.slice(0, 7)],
      [
        'Run',
        facts.runNumber === undefined
          ? undefined
          : `#${facts.runNumber}${facts.attempt && facts.attempt > 1 ? ` (attempt ${facts.attempt})` : ''}`,
      ],
      ['Duration', facts.durationSeconds === undefined ? undefined : formatDuration(facts.durationSeconds)],
      ['Triggered by', facts.trigger],
      ['Actor', event.actor?.name],
    ]),
    listSlide('Failed steps', facts.failedSteps),
    textSlide('Output', facts.summary),
  ],
  buttons: [
    button(
      facts.event === 'workflow_job'
        ? 'View job'
        : facts.event.startsWith('check')
          ? 'View check'
          : 'View run',
      event.url,
      outcomeButton(event),
    ),
    button(
      'View commit',
      facts.headSha === undefined ? undefined : repoPath(event, `commit/${facts.headSha}`),
    ),
  ],
});

const deployment = (event: GithubEvent, facts: Of<'deployment'>): Body => ({
  slides: [
    labelSlide(facts.event === 'status' ? 'Commit status' : 'Deployment', [
      ['Environment', event.environment],
      ['Context', facts.context],
      ['State', facts.state],
      ['Ref', facts.ref],
      ['Branch', facts.event === 'status' ? event.branch : undefined],
      ['Commit', facts.sha?.slice(0, 7)],
      ['By', event.actor?.name],
    ]),
    textSlide('Description', facts.description),
  ],
  buttons: [
    button(facts.event === 'status' ? 'View details' : 'View logs', facts.logUrl, outcomeButton(event)),
    button('Open environment', facts.environmentUrl),
    button('View commit', facts.sha === undefined ? undefined : repoPath(event, `commit/${facts.sha}`)),
  ],
});

const ref = (event: GithubEvent, facts: Of<'ref'>): Body => ({
  slides: [
    labelSlide(facts.refType === 'tag' ? 'Tag' : 'Branch', [
      [facts.refType === 'tag' ? 'Tag' : 'Branch', facts.ref],
      ['By', event.actor?.name],
    ]),
  ],
  buttons: [button('View repository', event.subject.url)],
});

const securityAlert = (event: GithubEvent, facts: Of<'security_alert'>): Body => ({
  slides: [
    labelSlide('Security alert', [
      ['Alert', facts.number === undefined ? undefined : `#${facts.number}`],
      ['Severity', facts.alertSeverity ?? event.severity],
      ['State', facts.state],
      ['Package', facts.package],
      ['Manifest', facts.manifest],
      ['Fixed in', facts.fixedIn],
      ['Rule', facts.rule],
      ['Tool', facts.tool],
      ['Secret type', facts.secretType],
      ['Branch', event.branch],
    ]),
    textSlide('Summary', facts.summary),
  ],
  buttons: [button('View alert', event.url, outcomeButton(event))],
});

const generic = (event: GithubEvent, facts: Of<'generic'>): Body => ({
  slides: [
    labelSlide('Event', [
      ['Event', facts.event],
      ['Action', facts.action],
      ['By', event.actor?.name],
    ]),
  ],
  buttons: [button('Open on GitHub', event.url)],
});

const body = (event: GithubEvent): Body => {
  const { facts } = event;
  switch (facts.type) {
    case 'push':
      return push(event, facts);
    case 'pull_request':
      return pullRequest(event, facts);
    case 'issue':
      return issue(event, facts);
    case 'release':
      return release(event, facts);
    case 'run':
      return run(event, facts);
    case 'deployment':
      return deployment(event, facts);
    case 'ref':
      return ref(event, facts);
    case 'security_alert':
      return securityAlert(event, facts);
    case 'generic':
      return generic(event, facts);
  }
};

/** A GitHub event as a Cliq card: headline `repo: title`, the facts that matter, and links to act on. */
export const formatGithub = (event: GithubEvent): CliqMessage => eventCard(event, body(event));
