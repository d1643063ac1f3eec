import { err, ok, type Result } from '../result';
import { isRecord } from './json';

export type ParseFailure = {
  readonly reason: 'invalid_utf8' | 'invalid_json' | 'not_an_object';
  readonly detail: string;
};

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly and parses a JSON object. Depth bombs and bad bytes end as a failure, not a throw. */
export const parseJsonObject = (
  bytes: Uint8Array | string,
): Result<Record<string, unknown>, ParseFailure> => {
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : decoder.decode(bytes);
  } catch {
    return err({ reason: 'invalid_utf8', detail: 'the body is not valid UTF-8' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof RangeError ? 'it is nested too deeply' : 'it is not valid JSON';
    return err({ reason: 'invalid_json', detail });
  }
  if (!isRecord(value)) {
    return err({
      reason: 'not_an_object',
      detail: `it is JSON ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}, not an object`,
    });
  }
  return ok(value);
};
