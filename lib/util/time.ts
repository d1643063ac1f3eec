/**
 * Dates read from payloads. An ISO 8601 timestamp (and the event schema) has a four-digit year, while a
 * JavaScript date reaches year 275760: `toISOString` spells years past 9999 as `+011476-…`, which no schema
 * accepts, and throws past that. Every reader goes through `isoFromMs`, so an out-of-range date is
 * `undefined` and the caller falls back (to the time Vigil received the event).
 */
const FIRST_MS = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const LAST_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

/** Epoch milliseconds as ISO 8601, or undefined when not finite or outside years 0000..9999. */
const isoFromMs = (ms: number): string | undefined =>
  Number.isFinite(ms) && ms >= FIRST_MS && ms <= LAST_MS ? new Date(ms).toISOString() : undefined;

/** A date string (ISO 8601 or anything `Date.parse` reads) as ISO 8601, or undefined. */
export const isoFromText = (text: string | undefined): string | undefined =>
  text === undefined ? undefined : isoFromMs(Date.parse(text));

/**
 * Epoch seconds (integer, float or exponent form, as GitHub pushes and Docker send), or milliseconds from
 * 1e12 up, as ISO 8601; undefined for zero, negative or out-of-range values.
 */
export const isoFromEpoch = (value: number | undefined): string | undefined =>
  value === undefined || !(value > 0) ? undefined : isoFromMs(value < 1e12 ? value * 1000 : value);
