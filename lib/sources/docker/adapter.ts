import { credentialOf, matchesAny } from '../../http/auth';
import { MalformedBodyError, SignatureMismatchError } from '../../http/errors';
import { bodyText } from '../../http/request';
import { err, ok } from '../../result';
import { configured, parsePayloadList } from '../shared/payload';
import type { SourceAdapter } from '../source';
import { DockerEvent } from './facts';
import { isAlertWorthy } from './noise';
import { isHubPush, normalizeContainerEvent, normalizeHubPush } from './normalize';

export const DOCKER_TOKEN_KEY = 'DOCKER_WEBHOOK_TOKEN';
export const MAX_BATCH = 500;

/**
 * Docker Hub push webhooks (Hub cannot sign: a token in the URL) and Docker Engine container events sent by
 * the forwarder (bearer token), one object or an array of them.
 */
export const docker: SourceAdapter<DockerEvent> = {
  name: 'docker',
  route: '/webhooks/docker',
  methods: ['POST'],
  deliveryHeader: 'x-request-id',
  contentTypes: ['application/json'],
  developmentSecrets: { [DOCKER_TOKEN_KEY]: 'vigil-development-token' },

  authenticate(request, secrets) {
    const tokens = configured(secrets, DOCKER_TOKEN_KEY, 'Docker');
    if (!tokens.ok) return tokens;
    const given = credentialOf(request)?.value ?? request.query.token;
    if (given === undefined || given === '') {
      return err(
        new SignatureMismatchError(
          `no token: add ?token=<${DOCKER_TOKEN_KEY}> to the Docker Hub webhook URL, or send Authorization: Bearer <${DOCKER_TOKEN_KEY}>`,
        ),
      );
    }
    return matchesAny(given, tokens.value)
      ? ok(true)
      : err(
          new SignatureMismatchError(
            `the token does not match ${DOCKER_TOKEN_KEY}: check the webhook URL or the forwarder's token`,
          ),
        );
  },

  accept(request, receivedAt) {
    const parsed = parsePayloadList(
      bodyText(request),
      'a Docker Hub webhook or Docker Engine event',
      MAX_BATCH,
    );
    if (!parsed.ok) return parsed;
    const items = parsed.value;
    // a Hub push has push_data and repository; an Engine event (docker events --format '{{json .}}') a Type or Action
    const unknown = items.findIndex(
      (item) =>
        !isHubPush(item) &&
        typeof item.Type !== 'string' &&
        typeof item.Action !== 'string' &&
        typeof item.status !== 'string',
    );
    if (unknown !== -1) {
      return err(
        new MalformedBodyError(
          `body is JSON but ${items.length > 1 ? `item ${unknown} is` : 'is'} neither a Docker Hub webhook (it needs "push_data" and "repository") nor a Docker Engine event (it needs "Type" and "Action"). Check what is calling this URL`,
        ),
      );
    }
    const worth = items.filter((item) => isHubPush(item) || isAlertWorthy(item));
    const events = worth.map((item) =>
      isHubPush(item) ? normalizeHubPush(item, receivedAt) : normalizeContainerEvent(item, receivedAt),
    );
    const skipped = items.length - worth.length;
    return ok({
      events,
      ...(skipped === 0
        ? {}
        : {
            note: `${skipped} routine container event(s) accepted and not posted (start, stop, exec, clean exits)`,
          }),
    });
  },

  schema: DockerEvent,
};
