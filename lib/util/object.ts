/** The record without its undefined and empty-string entries, as exactOptionalPropertyTypes wants optional facts. */
export const defined = <T extends object>(record: T): T =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== '')) as T;
