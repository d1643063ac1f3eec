import { createHash } from 'node:crypto';
import { MalformedBodyError, NotConfiguredError } from '../../http/errors';
import { err, ok, type Result } from '../../result';
import type { Secrets } from '../../secrets';
import { secretList } from '../../util/hmac';
import { isRecord } from '../../util/json';
import { describeJson, parseJson, parseJsonObject } from '../../util/parse-json';

/**
 * The one key that is dangerous in parsed JSON: `JSON.parse` makes `__proto__` an own property, and any later
 * `target[key] = value` copy of it would replace the target's prototype. `constructor` and `prototype` are
 * ordinary names (Prometheus labels, Docker attributes) and stay legal.
 */
const PROTO = '__proto__';

/** A character of `__proto__`, literal or as a JSON `\u` escape (hex digits in either case). */
const char = (c: string): string => {
  const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
  return `(?:${c}|\\\\u${hex.replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`)})`;
};

/** A JSON string literal that decodes to `__proto__`, however it is spelled. */
const PROTO_LITERAL = new RegExp(`"${[...PROTO].map(char).join('')}"`);

/**
 * Whether the text could hold a `__proto__` key: a string literal that decodes to it, literally or with `\u`
 * escapes. It may also be a value or sit inside another string; the walk then decides.
 */
const mayHoldProto = (text: string): boolean =>
  (text.includes(PROTO) || text.includes('\\u')) && PROTO_LITERAL.test(text);

/** Every object and array in the parsed value, however deep (a stack, not recursion: no depth to outgrow). */
const hasProtoKey = (value: unknown): boolean => {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null) continue;
    if (!Array.isArray(current) && Object.hasOwn(current, PROTO)) return true;
    for (const inner of Object.values(current))
      if (typeof inner === 'object' && inner !== null) pending.push(inner);
  }
  return false;
};

/** The error for a `__proto__` key after parsing; the walk runs only when the raw text could spell one. */
const protoKeyProblem = (
  bytes: Uint8Array | string,
  value: unknown,
  what: string,
): MalformedBodyError | undefined => {
  const text =
    typeof bytes === 'string'
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!mayHoldProto(text) || !hasProtoKey(value)) return undefined;
  return new MalformedBodyError(`body has a "${PROTO}" key, which ${what} never contains`);
};

/**
 * Parses a webhook body: strict UTF-8, a JSON object, and no `__proto__` key however it is spelled (no real
 * payload has one). The key walk runs only when the text could spell one, so ordinary payloads pay nothing for it.
 */
export const parsePayload = (
  bytes: Uint8Array | string,
  what: string,
): Result<Record<string, unknown>, MalformedBodyError> => {
  const parsed = parseJsonObject(bytes);
  if (!parsed.ok) return err(new MalformedBodyError(`body is not ${what}: ${parsed.error.detail}`));
  const risky = protoKeyProblem(bytes, parsed.value, what);
  return risky === undefined ? ok(parsed.value) : err(risky);
};

/** A body that is one JSON object or an array of up to `max` objects (batched sources), with the same checks. */
export const parsePayloadList = (
  bytes: Uint8Array | string,
  what: string,
  max: number,
): Result<Record<string, unknown>[], MalformedBodyError> => {
  const parsed = parseJson(bytes);
  if (!parsed.ok) return err(new MalformedBodyError(`body is not ${what}: ${parsed.error.detail}`));
  const items = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  if (items.length === 0)
    return err(new MalformedBodyError(`body is an empty array: send one ${what} or an array of them`));
  if (items.length > max)
    return err(new MalformedBodyError(`body has ${items.length} items: send at most ${max} per request`));
  const bad = items.findIndex((item) => !isRecord(item));
  if (bad !== -1) {
    return err(
      new MalformedBodyError(
        `body is not ${what}: item ${bad} is JSON ${describeJson(items[bad])}, not an object`,
      ),
    );
  }
  const risky = protoKeyProblem(bytes, items, what);
  return risky === undefined ? ok(items as Record<string, unknown>[]) : err(risky);
};

export const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

/** The configured secrets for a key, or the 503 a source answers while it has none. */
export const configured = (
  secrets: Secrets,
  key: string,
  source: string,
): Result<string[], NotConfiguredError> => {
  const values = secretList(secrets[key]);
  return values.length > 0
    ? ok(values)
    : err(
        new NotConfiguredError(
          `${key} is not configured: Vigil refuses unauthenticated ${source} requests until it is set`,
        ),
      );
};

/** For sources with two ways in (a signature or a token): both lists, or the 503 while neither is set. */
export const configuredEither = (
  secrets: Secrets,
  [first, second]: readonly [string, string],
  source: string,
): Result<[string[], string[]], NotConfiguredError> => {
  const a = secretList(secrets[first]);
  const b = secretList(secrets[second]);
  return a.length > 0 || b.length > 0
    ? ok([a, b])
    : err(
        new NotConfiguredError(
          `neither ${first} nor ${second} is configured: Vigil refuses unauthenticated ${source} requests until one is set`,
        ),
      );
};
