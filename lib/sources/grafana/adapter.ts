import { hexSignatureMatches } from '../../http/auth';
import { SignatureMismatchError } from '../../http/errors';
import { bodyText, signedBytes } from '../../http/request';
import { err, ok } from '../../result';
import { sha256Hex } from '../../util/hash';
import { authenticateToken } from '../shared/alerting/authenticate';
import { configuredEither, parsePayload } from '../shared/payload';
import { type RequestClock, signedIdentity, timestampProblem } from '../shared/replay';
import { requireFields } from '../shared/shape';
import type { SourceAdapter } from '../source';
import { GrafanaEvent } from './facts';
import { normalizeGrafana } from './normalize';

export const GRAFANA_TOKEN_KEY = 'GRAFANA_TOKEN';
export const GRAFANA_HMAC_KEY = 'GRAFANA_HMAC_SECRET';
const SIGNATURE_HEADER = 'x-grafana-alerting-signature';
const TIMESTAMP_HEADER = 'x-grafana-alerting-timestamp';

const HINT = `set the contact point's Authorization header credentials (Bearer) to ${GRAFANA_TOKEN_KEY}, or its HMAC signature secret to ${GRAFANA_HMAC_KEY}`;

/** What Grafana's HMAC covers: the body, or `timestamp:body` when a timestamp header is configured. */
const signedPart = (body: Buffer, timestamp: string | undefined): Buffer =>
  timestamp === undefined ? body : Buffer.concat([Buffer.from(`${timestamp}:`), body]);

/** Grafana's HMAC: hex HMAC-SHA256 of the signed part; a signed timestamp must also be within tolerance. */
const verifySignature = (
  body: Buffer,
  signature: string,
  timestamp: string | undefined,
  secrets: readonly string[],
  clock: RequestClock,
): string | undefined => {
  const mismatch = `X-Grafana-Alerting-Signature does not match: check the contact point's HMAC secret against ${GRAFANA_HMAC_KEY}`;
  if (!hexSignatureMatches(signedPart(body, timestamp), signature, secrets)) return mismatch;
  return timestamp === undefined
    ? undefined
    : timestampProblem('X-Grafana-Alerting-Timestamp', timestamp, clock);
};

/** Grafana alerting contact points of type webhook (POST or PUT). */
export const grafana: SourceAdapter<GrafanaEvent> = {
  name: 'grafana',
  route: '/webhooks/grafana',
  methods: ['POST', 'PUT'],
  deliveryHeader: 'x-request-id',
  contentTypes: ['application/json'],
  developmentSecrets: { [GRAFANA_TOKEN_KEY]: 'vigil-development-token' },

  authenticate(request, secrets, clock) {
    const keys = configuredEither(secrets, [GRAFANA_HMAC_KEY, GRAFANA_TOKEN_KEY], 'Grafana');
    if (!keys.ok) return keys;
    const [hmacSecrets, tokens] = keys.value;
    const signature = request.headers[SIGNATURE_HEADER];
    if (signature !== undefined && hmacSecrets.length > 0) {
      const problem = verifySignature(
        request.body,
        signature,
        request.headers[TIMESTAMP_HEADER],
        hmacSecrets,
        clock,
      );
      return problem === undefined ? ok(true) : err(new SignatureMismatchError(problem));
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
    // unified alerting sends Alertmanager's `alerts` and `status`; a pre-8 dashboard alert has `state` instead
    const legacy = !Object.hasOwn(parsed.value, 'alerts') && Object.hasOwn(parsed.value, 'state');
    const shaped = legacy
      ? requireFields(parsed.value, 'a Grafana dashboard alert', { state: 'string' })
      : requireFields(parsed.value, 'a Grafana alert notification', { alerts: 'array', status: 'string' });
    if (!shaped.ok) return shaped;
    const bodyId = () => `grafana:${sha256Hex(signedBytes(request))}`;
    const event = normalizeGrafana(parsed.value, bodyId, receivedAt);
    // With a signed timestamp the signed bytes name one notification: a replay is refused once stale and is the
    // same event until then, and a reminder (repeat interval) signs a new timestamp. An HMAC over the body alone
    // cannot tell a reminder from a replay, so those keep the alert group's id and receipt time (ledger.ts).
    const timestamp = request.headers[TIMESTAMP_HEADER];
    if (request.headers[SIGNATURE_HEADER] === undefined || timestamp === undefined)
      return ok({ events: [event] });
    return ok({
      events: [{ ...event, identity: signedIdentity('grafana', signedPart(request.body, timestamp)) }],
    });
  },

  schema: GrafanaEvent,
};
