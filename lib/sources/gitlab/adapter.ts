import { button, eventCard, labelSlide, listSlide, textSlide } from '../../format/card';
import { matchesAny } from '../../http/auth';
import { MissingHeaderError, SignatureMismatchError } from '../../http/errors';
import { err, ok } from '../../result';
import { formatDuration } from '../../util/text';
import { configured, parsePayload, sha256Hex } from '../shared/payload';
import type { SourceAdapter } from '../source';
import type { GitlabEvent } from './facts';
import { normalizeGitlab } from './normalize';

export const GITLAB_TOKEN_KEY = 'GITLAB_WEBHOOK_TOKEN';

/** GitLab project or group webhooks, authenticated by the Secret token GitLab sends in X-Gitlab-Token. */
export const gitlab: SourceAdapter<GitlabEvent> = {
  name: 'gitlab',
  route: '/webhooks/gitlab',
  methods: ['POST'],
  deliveryHeader: 'x-gitlab-event-uuid',
  contentTypes: ['application/json'],
  developmentSecrets: { [GITLAB_TOKEN_KEY]: 'vigil-development-token' },

  authenticate(request, secrets) {
    const tokens = configured(secrets, GITLAB_TOKEN_KEY, 'GitLab');
    if (!tokens.ok) return tokens;
    const given = request.headers['x-gitlab-token'];
    if (given === undefined || given === '') {
      return err(
        new SignatureMismatchError(
          `X-Gitlab-Token is missing: set the webhook's Secret token in GitLab to ${GITLAB_TOKEN_KEY}`,
        ),
      );
    }
    return matchesAny(given, tokens.value)
      ? ok(true)
      : err(
          new SignatureMismatchError(
            `X-Gitlab-Token does not match: check the webhook's Secret token against ${GITLAB_TOKEN_KEY}`,
          ),
        );
  },

  accept(request, receivedAt) {
    const event = request.headers['x-gitlab-event'];
    if (event === undefined || event === '') {
      return err(
        new MissingHeaderError(
          'X-Gitlab-Event header is missing: GitLab always sends it; check what is calling this URL',
        ),
      );
    }
    const parsed = parsePayload(request.body, 'a GitLab webhook payload');
    if (!parsed.ok) return parsed;
    const id =
      request.headers['idempotency-key'] ||
      request.headers['x-gitlab-event-uuid'] ||
      `sha256:${sha256Hex(request.body)}`;
    return ok({ events: [normalizeGitlab(parsed.value, event.slice(0, 80), `gitlab:${id}`, receivedAt)] });
  },

  format(event) {
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
          [
            'Duration',
            facts.durationSeconds === undefined ? undefined : formatDuration(facts.durationSeconds),
          ],
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
  },
};
