import { createHash } from 'node:crypto';
import { MalformedBodyError, NotConfiguredError } from '../http/errors';
import { err, ok, type Result } from '../result';
import type { Secrets } from '../secrets';
import { secretList } from '../util/hmac';
import { isRecord } from '../util/json';
import { describeJson, parseJson, parseJsonObject } from '../util/parse-json';

const RISKY_KEY = /"(__proto__|constructor|prototype)"\s*:/;

/** Finds a key that could pollute prototypes if the payload were ever merged into an object. */
const riskyKey = (value: unknown, depth = 0): string | undefined => {
  if (typeof value !== 'object' || value === null || depth > 64) return undefined;
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return key;
    const inner = riskyKey((value as Record<string, unknown>)[key], depth + 1);
    if (inner !== undefined) return inner;
  }
  return undefined;
};

/** The error for a prototype-polluting key; the scan runs only when the raw text mentions one. */
const riskyKeyProblem = (
  bytes: Uint8Array | string,
  value: unknown,
  what: string,
): MalformedBodyError | undefined => {
  const text =
    typeof bytes === 'string'
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!RISKY_KEY.test(text)) return undefined;
  const key = riskyKey(value);
  return key === undefined
    ? undefined
    : new MalformedBodyError(`body has a "${key}" key, which no ${what} contains`);
};

/**
 * Parses a webhook body: strict UTF-8, a JSON object (or, where `allowArray`, an array of objects), and no
 * `__proto__`, `constructor` or `prototype` keys (no real payload has them). The key scan runs only when
 * the text mentions one, so ordinary payloads pay nothing for it.
 */
export const parsePayload = (
  bytes: Uint8Array | string,
  what: string,
): Result<Record<string, unknown>, MalformedBodyError> => {
  const parsed = parseJsonObject(bytes);
  if (!parsed.ok) return err(new MalformedBodyError(`body is not ${what}: ${parsed.error.detail}`));
  const risky = riskyKeyProblem(bytes, parsed.value, what);
  return risky === undefined ? ok(parsed.value) : err(risky);
};

/** A body that is one JSON object or an array of up to `max` objects (batched sources), with the same checks. */
export const parsePayloadList = (
  bytes: Uint8Array,
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
  const risky = riskyKeyProblem(bytes, items, what);
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
