import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC of the bytes, or of a string's UTF-8 encoding (the same bytes `Buffer.from(text)` gives). */
export const hmacHex = (algorithm: 'sha256' | 'sha1', secret: string, body: Uint8Array | string): string =>
  createHmac(algorithm, secret).update(body).digest('hex');

/** Constant-time comparison of two strings; a length mismatch is answered without comparing contents. */
export const safeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Splits a comma-separated secret list (rotation: current first, then previous), dropping blanks. */
export const secretList = (value: string | undefined): readonly string[] => {
  if (value === undefined) return [];
  let list = splitSecrets.get(value);
  if (list === undefined) {
    list = Object.freeze(
      value
        .split(',')
        .map((secret) => secret.trim())
        .filter((secret) => secret.length > 0),
    );
    // a function sees a handful of secret values in its life (one per rotation); the map stays that small
    if (splitSecrets.size >= 64) splitSecrets.clear();
    splitSecrets.set(value, list);
  }
  return list;
};

/** Each secret value split once: every request checks its signature against the same list. */
const splitSecrets = new Map<string, readonly string[]>();
