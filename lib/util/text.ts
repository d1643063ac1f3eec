const ELLIPSIS = '…';

/** Cuts a string to at most `max` UTF-16 units, ending with an ellipsis when cut, never splitting a surrogate pair. */
export const clip = (text: string, max: number): string => {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - ELLIPSIS.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, Math.max(0, end))}${ELLIPSIS}`;
};

/** `clip` for a text that may be missing. */
export const optionalText = (value: string | undefined, max: number): string | undefined =>
  value === undefined ? undefined : clip(value, max);

export const firstLine = (text: string): string => text.split(/\r?\n/, 1)[0] ?? '';

/** Whole seconds between two ISO timestamps, or undefined if either is missing or unparsable. */
export const secondsBetween = (start: string | undefined, end: string | undefined): number | undefined => {
  if (start === undefined || end === undefined) return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / 1000) : undefined;
};

export const formatDuration = (seconds: number): string => {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
};
