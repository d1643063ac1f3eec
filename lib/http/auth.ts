import { hmacHex, safeEqual } from '../util/hmac';
import type { WebhookRequest } from './request';

/** True when `given` equals any of the configured tokens; every token is compared, in constant time. */
export const matchesAny = (given: string, tokens: readonly string[]): boolean => {
  let matched = false;
  for (const token of tokens) if (safeEqual(given, token)) matched = true;
  return matched;
};

/** A bearer token, or the password of basic auth (Alertmanager's basic_auth puts the token there). */
export const credentialOf = (
  request: WebhookRequest,
): { scheme: 'bearer' | 'basic'; value: string } | undefined => {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const [scheme = '', ...rest] = header.trim().split(/\s+/);
  const value = rest.join(' ');
  if (scheme.toLowerCase() === 'bearer' && value !== '') return { scheme: 'bearer', value };
  if (scheme.toLowerCase() === 'basic' && value !== '') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : { scheme: 'basic', value: decoded.slice(colon + 1) };
  }
  return undefined;
};

/** A lower-case hex HMAC-SHA256 signature over the raw body, checked against each secret. */
export const hexSignatureMatches = (
  body: Uint8Array | string,
  signature: string,
  secrets: readonly string[],
): boolean => {
  if (!/^[0-9a-f]{64}$/i.test(signature)) return false;
  return matchesAny(
    signature.toLowerCase(),
    secrets.map((secret) => hmacHex('sha256', secret, body)),
  );
};
