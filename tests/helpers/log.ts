import type { Log } from '../../lib/log';

/**
 * A Log that keeps every line, so tests can read what would have been logged. A call's field objects are
 * merged into one, as the JSON line merges them: `extra[0]` holds every field of the line.
 */
export const recordingLog = () => {
  const lines: { level: string; message: string; extra: unknown[] }[] = [];
  const at =
    (level: string) =>
    (message: string, ...extra: unknown[]) =>
      lines.push({ level, message, extra: extra.length > 1 ? [Object.assign({}, ...extra)] : extra });
  const log: Log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines, text: () => JSON.stringify(lines) };
};
