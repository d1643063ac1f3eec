/** The record without its undefined and empty-string entries, as exactOptionalPropertyTypes wants optional facts. */
export const defined = <T extends object>(record: T): T =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== '')) as T;

/**
 * A lookup table keyed by text from payloads: without a prototype, so a key such as `constructor` or
 * `__proto__` finds nothing instead of an Object method.
 */
export const lookupTable = <T>(entries: Record<string, T>): Readonly<Record<string, T>> =>
  Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));

/** Spreads `{ key: value }` only when the value is present, as exactOptionalPropertyTypes requires. */
export const optional = <K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
