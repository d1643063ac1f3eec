/**
 * Safe reads from untrusted JSON. Webhook payloads vary by version and vendor edits; a normalizer reads
 * every field through these, so an unexpected shape yields `undefined`, never a crash.
 */
export type Json = unknown;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const at = (value: unknown, ...path: readonly (string | number)[]): unknown => {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
      current = current[key];
    }
  }
  return current;
};

export const str = (value: unknown, ...path: readonly (string | number)[]): string | undefined => {
  const found = at(value, ...path);
  if (typeof found === 'string') return found.length > 0 ? found : undefined;
  if (typeof found === 'number' && Number.isFinite(found)) return String(found);
  return undefined;
};

export const num = (value: unknown, ...path: readonly (string | number)[]): number | undefined => {
  const found = at(value, ...path);
  if (typeof found === 'number' && Number.isFinite(found)) return found;
  if (typeof found === 'string' && found.trim() !== '' && Number.isFinite(Number(found)))
    return Number(found);
  return undefined;
};

export const bool = (value: unknown, ...path: readonly (string | number)[]): boolean =>
  at(value, ...path) === true;

export const list = (value: unknown, ...path: readonly (string | number)[]): readonly unknown[] => {
  const found = at(value, ...path);
  return Array.isArray(found) ? found : [];
};

/** A non-negative whole number that fits exactly in a double (counts, ids, durations), else undefined. */
export const count = (value: unknown, ...path: readonly (string | number)[]): number | undefined => {
  const found = num(value, ...path);
  if (found === undefined || found < 0) return undefined;
  const whole = Math.round(found);
  return Number.isSafeInteger(whole) ? whole : undefined;
};
