import { LIMITS } from '../../event/fields';
import { matchesAny } from '../../http/auth';
import { MissingHeaderError, SignatureMismatchError } from '../../http/errors';
import { bodyText, signedBytes } from '../../http/request';
import { err, ok } from '../../result';
import { sha256Hex } from '../../util/hash';
import { configured, parsePayload } from '../shared/payload';
import { requireFields } from '../shared/shape';
import type { SourceAdapter } from '../source';
import { GitlabEvent } from './facts';
import { normalizeGitlab } from './normalize';

export const GITLAB_TOKEN_KEY = 'GITLAB_WEBHOOK_TOKEN';

/** GitLab project or group webhooks, authenticated by the Secret token GitLab sends in X-Gitlab-Token. */
export const gitlab: SourceAdapter<GitlabEvent> = {
  name: 'gitlab',
  route: '/webhooks/gitlab',
  methods: ['POST'],
  deliveryHeader: 'x-gitlab-event-uuid',
  eventHeader: 'x-gitlab-event',
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
    const parsed = parsePayload(bodyText(request), 'a GitLab webhook payload');
    if (!parsed.ok) return parsed;
    // every project and group webhook payload names its object_kind; system hooks name an event_name instead
    const shaped = requireFields(
      parsed.value,
      'a GitLab webhook payload',
      typeof parsed.value.event_name === 'string' ? { event_name: 'string' } : { object_kind: 'string' },
    );
    if (!shaped.ok) return shaped;
    const id =
      request.headers['idempotency-key'] ||
      request.headers['x-gitlab-event-uuid'] ||
      `sha256:${sha256Hex(signedBytes(request))}`;
    return ok({
      events: [normalizeGitlab(parsed.value, event.slice(0, LIMITS.eventName), `gitlab:${id}`, receivedAt)],
    });
  },

  schema: GitlabEvent,
};
