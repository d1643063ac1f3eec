import { hexSignatureMatches } from '../../http/auth';
import { SignatureMismatchError } from '../../http/errors';
import { bodyText, signedBytes } from '../../http/request';
import { err, ok } from '../../result';
import { sha256Hex } from '../../util/hash';
import { authenticateToken } from '../shared/alerting/authenticate';
import { configuredEither, parsePayload } from '../shared/payload';
import type { SourceAdapter } from '../source';
import { GrafanaEvent } from './facts';
import { normalizeGrafana } from './normalize';

export const GRAFANA_TOKEN_KEY = 'GRAFANA_TOKEN';
export const GRAFANA_HMAC_KEY = 'GRAFANA_HMAC_SECRET';
const SIGNATURE_HEADER = 'x-grafana-alerting-signature';
const TIMESTAMP_HEADER = 'x-grafana-alerting-timestamp';
const MAX_SKEW_SECONDS = 300;

const HINT = `set the contact point's Authorization header credentials (Bearer) to ${GRAFANA_TOKEN_KEY}, or its HMAC signature secret to ${GRAFANA_HMAC_KEY}`;

/** Grafana's HMAC: hex HMAC-SHA256 of the body, or of `timestamp:body` when a timestamp header is configured. */
const verifySignature = (
  body: Buffer,
  signature: string,
  timestamp: string | undefined,
  secrets: readonly string[],
  now: number,
) => {
  if (timestamp === undefined) return hexSignatureMatches(body, signature, secrets) ? 'ok' : 'mismatch';
  const seconds = Number(timestamp);
  if (!Number.isFinite(seconds) || Math.abs(now / 1000 - seconds) > MAX_SKEW_SECONDS) return 'stale';
  return hexSignatureMatches(Buffer.concat([Buffer.from(`${timestamp}:`), body]), signature, secrets)
    ? 'ok'
    : 'mismatch';
};

/** Grafana alerting contact points of type webhook (POST or PUT). */
export const grafana: SourceAdapter<GrafanaEvent> = {
  name: 'grafana',
  route: '/webhooks/grafana',
  methods: ['POST', 'PUT'],
  deliveryHeader: 'x-request-id',
  contentTypes: ['application/json'],
  developmentSecrets: { [GRAFANA_TOKEN_KEY]: 'vigil-development-token' },

  authenticate(request, secrets) {
    const keys = configuredEither(secrets, [GRAFANA_HMAC_KEY, GRAFANA_TOKEN_KEY], 'Grafana');
    if (!keys.ok) return keys;
    const [hmacSecrets, tokens] = keys.value;
    const signature = request.headers[SIGNATURE_HEADER];
    if (signature !== undefined && hmacSecrets.length > 0) {
      const verdict = verifySignature(
        request.body,
        signature,
        request.headers[TIMESTAMP_HEADER],
        hmacSecrets,
        Date.now(),
      );
      if (verdict === 'ok') return ok(true);
      return err(
        new SignatureMismatchError(
          verdict === 'stale'
            ? `X-Grafana-Alerting-Timestamp is more than ${MAX_SKEW_SECONDS} s from now: check the clock of the Grafana server`
            : `X-Grafana-Alerting-Signature does not match: check the contact point's HMAC secret against ${GRAFANA_HMAC_KEY}`,
        ),
      );
    }
    if (tokens.length === 0) {
      return err(
        new SignatureMismatchError(
          `X-Grafana-Alerting-Signature is missing: set the contact point's HMAC secret to ${GRAFANA_HMAC_KEY}`,
        ),
      );
    }
    return authenticateToken(request, tokens, HINT);
  },

  accept(request, receivedAt) {
    const parsed = parsePayload(bodyText(request), 'a Grafana alert notification');
    if (!parsed.ok) return parsed;
    const bodyId = () => `grafana:${sha256Hex(signedBytes(request))}`;
    return ok({ events: [normalizeGrafana(parsed.value, bodyId, receivedAt)] });
  },

  schema: GrafanaEvent,
};
