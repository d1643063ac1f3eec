import { MalformedBodyError, MissingHeaderError, SignatureMismatchError } from '../../http/errors';
import { bodyText, mediaType, signedBytes, type WebhookRequest } from '../../http/request';
import { err, ok } from '../../result';
import { configured, parsePayload } from '../shared/payload';
import { signedIdentity } from '../shared/replay';
import { requireFields } from '../shared/shape';
import type { SourceAdapter } from '../source';
import { GithubEvent } from './facts';
import { GITHUB_NEEDS } from './needs';
import { normalizeGithub } from './normalize';
import { verifyGithub } from './verify';

export const GITHUB_SECRET_KEY = 'GITHUB_WEBHOOK_SECRET';
export const GITHUB_DEVELOPMENT_SECRET = 'vigil-development-secret';

const EVENT_NAME = /^[a-z][a-z0-9_]{0,79}$/;

const SIGNATURE_PROBLEM = {
  missing_signature: `X-Hub-Signature-256 is missing: set the webhook's Secret in GitHub (Settings → Webhooks) to the value of ${GITHUB_SECRET_KEY}`,
  malformed_signature: "X-Hub-Signature-256 must be 'sha256=' followed by 64 hex digits",
  mismatch: 'X-Hub-Signature-256 does not match: check the secret configured for the GitHub webhook',
} as const;

/** GitHub's form encoding carries the JSON in the `payload` field; the signature covers the whole form. */
const jsonText = (request: WebhookRequest): string | Buffer | undefined =>
  mediaType(request) === 'application/x-www-form-urlencoded'
    ? (new URLSearchParams(request.body.toString('utf8')).get('payload') ?? undefined)
    : bodyText(request);

export const github: SourceAdapter<GithubEvent> = {
  name: 'github',
  route: '/webhooks/github',
  methods: ['POST'],
  deliveryHeader: 'x-github-delivery',
  eventHeader: 'x-github-event',
  contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
  developmentSecrets: { [GITHUB_SECRET_KEY]: GITHUB_DEVELOPMENT_SECRET },

  authenticate(request, secrets) {
    const keys = configured(secrets, GITHUB_SECRET_KEY, 'GitHub');
    if (!keys.ok) return keys;
    const verified = verifyGithub(signedBytes(request), request.headers['x-hub-signature-256'], keys.value);
    return verified.ok ? ok(true) : err(new SignatureMismatchError(SIGNATURE_PROBLEM[verified.error]));
  },

  accept(request, receivedAt) {
    const event = request.headers['x-github-event'];
    if (event === undefined || event === '') {
      return err(
        new MissingHeaderError(
          'X-GitHub-Event header is missing: GitHub always sends it; check what is calling this URL',
        ),
      );
    }
    if (!EVENT_NAME.test(event)) {
      return err(new MissingHeaderError('X-GitHub-Event must be an event name such as push or workflow_run'));
    }
    const text = jsonText(request);
    if (text === undefined) {
      return err(
        new MalformedBodyError(
          'form-encoded body has no payload field: set the webhook Content type to application/json',
        ),
      );
    }
    const parsed = parsePayload(text, 'a GitHub webhook payload');
    if (!parsed.ok) return parsed;
    if (event === 'ping')
      return ok({ events: [], note: 'ping received: the webhook is connected; nothing is posted' });

    const shaped = requireFields(
      parsed.value,
      `a GitHub ${event} payload`,
      Object.hasOwn(GITHUB_NEEDS, event) ? (GITHUB_NEEDS[event] ?? {}) : {},
    );
    if (!shaped.ok) return shaped;
    // every GitHub delivery is signed: it is deduplicated on its signed bytes, X-GitHub-Delivery only names it.
    // Two distinct GitHub events never share a body (each carries its own objects, shas and times).
    const identity = signedIdentity('github', signedBytes(request));
    const id = request.headers['x-github-delivery'] || identity;
    return ok({
      events: [{ ...normalizeGithub({ event, payload: parsed.value, id, receivedAt }), identity }],
    });
  },

  schema: GithubEvent,
};
