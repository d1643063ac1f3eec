import { hexSignatureMatches, matchesAny } from '../../http/auth';
import { SignatureMismatchError } from '../../http/errors';
import { bodyText, signedBytes } from '../../http/request';
import { err, ok } from '../../result';
import { sha256Hex } from '../../util/hash';
import { configuredEither, parsePayload } from '../shared/payload';
import { signedIdentity, timestampProblem } from '../shared/replay';
import { type FieldKind, requireFields } from '../shared/shape';
import type { SourceAdapter } from '../source';
import { SentryEvent } from './facts';
import { normalizeSentry } from './normalize';

export const SENTRY_SECRET_KEY = 'SENTRY_CLIENT_SECRET';
export const SENTRY_TOKEN_KEY = 'SENTRY_WEBHOOK_TOKEN';
const RESOURCE = /^[a-z][a-z_]{0,39}$/;

/** The installation's action as the answer names it: Sentry's `created`/`deleted`, never an echo of odd input. */
const installationAction = (action: unknown): string =>
  typeof action === 'string' && /^[a-z_]{1,40}$/.test(action) ? action : 'event';

/** Sentry's integration platform (signed) and its legacy WebHooks plugin (a URL token). */
/**
 * What each resource's normalizer reads (Sentry integration platform, "Webhooks": each resource's payload
 * carries its object under `data`); a resource Vigil has no card for needs nothing.
 */
const NEEDS: Readonly<Record<string, Readonly<Record<string, FieldKind>>>> = {
  issue: { 'data.issue': 'object' },
  event_alert: { 'data.event': 'object' },
  error: { 'data.error': 'object' },
  metric_alert: { 'data.metric_alert': 'object' },
  comment: { data: 'object' },
};

export const sentry: SourceAdapter<SentryEvent> = {
  name: 'sentry',
  route: '/webhooks/sentry',
  methods: ['POST'],
  deliveryHeader: 'request-id',
  eventHeader: 'sentry-hook-resource',
  contentTypes: ['application/json'],
  developmentSecrets: {
    [SENTRY_SECRET_KEY]: 'vigil-development-secret',
    [SENTRY_TOKEN_KEY]: 'vigil-development-token',
  },

  authenticate(request, secrets, clock) {
    const keys = configuredEither(secrets, [SENTRY_SECRET_KEY, SENTRY_TOKEN_KEY], 'Sentry');
    if (!keys.ok) return keys;
    const [clientSecrets, tokens] = keys.value;
    const signature = request.headers['sentry-hook-signature'];
    if (signature !== undefined) {
      // over the exact bytes: Sentry escapes non-ASCII as \uXXXX, which re-serialized JSON would not reproduce
      if (
        clientSecrets.length === 0 ||
        !hexSignatureMatches(signedBytes(request), signature, clientSecrets)
      ) {
        return err(
          new SignatureMismatchError(
            `Sentry-Hook-Signature does not match: check that ${SENTRY_SECRET_KEY} is the integration's client secret`,
          ),
        );
      }
      // Sentry does not sign its timestamp, so this refuses a stale capture sent as is; a replay with a fresh
      // timestamp is caught by the signed identity instead (accept)
      const timestamp = request.headers['sentry-hook-timestamp'];
      const stale =
        timestamp === undefined ? undefined : timestampProblem('Sentry-Hook-Timestamp', timestamp, clock);
      return stale === undefined ? ok(true) : err(new SignatureMismatchError(stale));
    }
    const token = request.query.token;
    if (token !== undefined) {
      return matchesAny(token, tokens)
        ? ok(true)
        : err(
            new SignatureMismatchError(
              `the token in the URL does not match ${SENTRY_TOKEN_KEY}: check the WebHooks plugin's callback URL`,
            ),
          );
    }
    return err(
      new SignatureMismatchError(
        `Sentry-Hook-Signature is missing: use an internal integration with ${SENTRY_SECRET_KEY}, or add ?token=<${SENTRY_TOKEN_KEY}> to the legacy plugin's URL`,
      ),
    );
  },

  accept(request, receivedAt) {
    const parsed = parsePayload(bodyText(request), 'a Sentry webhook payload');
    if (!parsed.ok) return parsed;
    const header = request.headers['sentry-hook-resource'];
    const resource = header !== undefined && RESOURCE.test(header) ? header : undefined;
    if (resource === 'installation') {
      return ok({
        events: [],
        note: `installation ${installationAction(parsed.value.action)} acknowledged; nothing is posted`,
      });
    }
    const shaped = requireFields(
      parsed.value,
      resource === undefined ? 'a Sentry legacy webhook plugin alert' : `a Sentry ${resource} webhook`,
      resource === undefined
        ? { event: 'object' }
        : Object.hasOwn(NEEDS, resource)
          ? (NEEDS[resource] ?? {})
          : {},
    );
    if (!shaped.ok) return shaped;
    // a signed delivery is deduplicated on its signed bytes; Request-ID, which is not signed, only names it. Two
    // distinct Sentry events do not share a body (each names its issue, event or alert, with its times); one
    // that did would be indistinguishable from a replay. The legacy plugin's URL token proves no body, so
    // its deliveries keep Request-ID as their identity.
    const signed = request.headers['sentry-hook-signature'] !== undefined;
    const body = `sha256:${sha256Hex(signedBytes(request))}`;
    const event = normalizeSentry(
      parsed.value,
      resource,
      `sentry:${request.headers['request-id'] || body}`,
      receivedAt,
    );
    return ok({
      events: [signed ? { ...event, identity: signedIdentity('sentry', signedBytes(request)) } : event],
    });
  },

  schema: SentryEvent,
};
