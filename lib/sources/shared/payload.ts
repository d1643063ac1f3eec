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

/**
 * Whether any object in the parsed value has its own `__proto__` key. A stack, not recursion: no depth to
 * outgrow. Walking the parsed value is cheaper than scanning the text for the key's spellings (`\u`
 * escapes included): about a quarter of the time on GitHub's example payloads.
 */
const hasProtoKey = (value: unknown): boolean => {
  // `for…in` is the cheap walk, but it also follows anything enumerable added to Object.prototype (and would
  // loop on it): then the walk takes own values only
  const inherits = prototypeHasEnumerables();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop() as Record<string, unknown>;
    if (Object.hasOwn(current, PROTO)) return true;
    if (Array.isArray(current) || inherits) {
      for (const inner of Array.isArray(current) ? current : Object.values(current))
        if (typeof inner === 'object' && inner !== null) pending.push(inner);
    } else {
      for (const key in current) {
        const inner = current[key];
        if (typeof inner === 'object' && inner !== null) pending.push(inner);
      }
    }
  }
  return false;
};

const prototypeHasEnumerables = (): boolean => {
  for (const _ in Object.prototype) return true;
  return false;
};

const protoKeyProblem = (value: unknown, what: string): MalformedBodyError | undefined =>
  hasProtoKey(value)
    ? new MalformedBodyError(`body has a "${PROTO}" key, which ${what} never contains`)
    : undefined;

/**
 * Parses a webhook body: strict UTF-8, a JSON object, and no `__proto__` key however it is spelled (no real
 * payload has one).
 */
export const parsePayload = (
  bytes: Uint8Array | string,
  what: string,
): Result<Record<string, unknown>, MalformedBodyError> => {
  const parsed = parseJsonObject(bytes);
  if (!parsed.ok) return err(new MalformedBodyError(`body is not ${what}: ${parsed.error.detail}`));
  const risky = protoKeyProblem(parsed.value, what);
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
  const risky = protoKeyProblem(items, what);
  return risky === undefined ? ok(items as Record<string, unknown>[]) : err(risky);
};

/** The configured secrets for a key, or the 503 a source answers while it has none. */
export const configured = (
  secrets: Secrets,
  key: string,
  source: string,
): Result<readonly string[], NotConfiguredError> => {
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
): Result<[readonly string[], readonly string[]], NotConfiguredError> => {
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
