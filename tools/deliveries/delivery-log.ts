import { err, ok, type Result } from '../../lib/result';
import type { DeliveryRecord } from '../../lib/state/store';

/** The operators' view of the ledger (`npm run deliveries`): what `--since` means and how a table reads. */

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `1h`, `2d` (back from now) or an ISO time (`2026-12-01`, `2026-12-01T09:00:00Z`). */
export const parseSince = (text: string, now: Date): Result<Date, string> => {
  const duration = /^(\d+)([smhd])$/.exec(text.trim());
  if (duration) return ok(new Date(now.getTime() - Number(duration[1]) * (UNITS[duration[2] ?? 's'] ?? 0)));
  const time = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())
    ? Date.parse(text.trim())
    : Number.NaN;
  return Number.isNaN(time)
    ? err(`--since takes a duration (30m, 1h, 2d) or an ISO time (2026-12-01T09:00:00Z), not "${text}"`)
    : ok(new Date(time));
};

/** 850ms, 1.3s, 4m05s, 2h10m. */
export const formatLatency = (ms: number): string => {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
};

const STATE_LABEL: Record<DeliveryRecord['state'], string> = {
  delivered: 'delivered',
  digested: 'digested',
  dead_lettered: 'dead-lettered',
  unchanged: 'unchanged',
};

/** One line per event and channel, newest first as given, under a count per state. */
export const deliveryTable = (records: readonly DeliveryRecord[]): string => {
  const counts = Object.entries(STATE_LABEL)
    .map(([state, label]) => `${records.filter((record) => record.state === state).length} ${label}`)
    .join(', ');
  const header = [
    'RECORDED (UTC)',
    'STATE',
    'CHANNEL',
    'TRIES',
    'LATENCY',
    'CLIQ MESSAGE',
    'KIND',
    'SUBJECT',
    'EVENT',
  ];
  const rows = records.map((record) => [
    record.recordedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    STATE_LABEL[record.state],
    record.channel,
    String(record.attempts),
    formatLatency(record.latencyMs),
    record.messageId ?? (record.reason === undefined ? '-' : `(${record.reason})`),
    record.kind,
    record.subject,
    record.eventId,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ');
  return [
    `${records.length} deliveries: ${counts}`,
    ...(records.length ? [line(header)] : []),
    ...rows.map(line),
  ].join('\n');
};
