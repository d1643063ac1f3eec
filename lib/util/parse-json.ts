import { err, ok, type Result } from '../result';
import { isRecord } from './json';
import { mayHoldLoneSurrogate, wellFormedJson } from './well-formed';

export type ParseFailure = {
  readonly reason: 'invalid_utf8' | 'invalid_json' | 'not_an_object';
  readonly detail: string;
};

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes UTF-8 strictly and parses JSON. Depth bombs and bad bytes end as a failure, not a throw. A lone
 * surrogate (legal JSON, `"\ud800"`) becomes U+FFFD in strings and keys, so nothing downstream meets one; the
 * parsed value is walked only when the text has a surrogate escape (or, given as a string, a lone surrogate).
 */
export const parseJson = (bytes: Uint8Array | string): Result<unknown, ParseFailure> => {
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : decoder.decode(bytes);
  } catch {
    return err({ reason: 'invalid_utf8', detail: 'the body is not valid UTF-8' });
  }
  try {
    const value = JSON.parse(text) as unknown;
    return ok(mayHoldLoneSurrogate(text, typeof bytes !== 'string') ? wellFormedJson(value) : value);
  } catch (cause) {
    const detail = cause instanceof RangeError ? 'it is nested too deeply' : 'it is not valid JSON';
    return err({ reason: 'invalid_json', detail });
  }
};

export const describeJson = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** parseJson, requiring an object. */
export const parseJsonObject = (
  bytes: Uint8Array | string,
): Result<Record<string, unknown>, ParseFailure> => {
  const parsed = parseJson(bytes);
  if (!parsed.ok) return parsed;
  if (!isRecord(parsed.value)) {
    return err({
      reason: 'not_an_object',
      detail: `it is JSON ${describeJson(parsed.value)}, not an object`,
    });
  }
  return ok(parsed.value);
};
