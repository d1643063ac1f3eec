import { redactTokens } from './cliq/channel-url';
import type { Output } from './output';

/** The logging surface the core needs; `createLog` writes JSON lines and tests pass a recorder. */
export interface Log {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** Thresholds as Powertools Logger numbers them, so the same level names mean the same thing. */
const THRESHOLD = {
  TRACE: 6,
  DEBUG: 8,
  INFO: 12,
  WARN: 16,
  ERROR: 20,
  CRITICAL: 24,
  FATAL: 24,
  SILENT: 28,
} as const;
type LevelName = keyof typeof THRESHOLD;

/** Keys every line owns; an extra field of the same name is dropped rather than overwrite them. */
const RESERVED = new Set(['level', 'message', 'timestamp', 'service', 'sampling_rate', 'xray_trace_id']);

const levelOf = (name: string | undefined): number | undefined => {
  const key = name?.trim().toUpperCase();
  return key !== undefined && Object.hasOwn(THRESHOLD, key) ? THRESHOLD[key as LevelName] : undefined;
};

/**
 * The threshold a function logs at: Lambda's advanced logging controls (`AWS_LAMBDA_LOG_LEVEL`) first, then
 * `POWERTOOLS_LOG_LEVEL`, then `LOG_LEVEL`, else INFO; a sample rate (`POWERTOOLS_LOGGER_SAMPLE_RATE`, 0–1)
 * turns DEBUG on for that share of cold starts.
 */
const thresholdFrom = (env: NodeJS.ProcessEnv, sampleRate: number): number => {
  const managed = levelOf(env.AWS_LAMBDA_LOG_LEVEL);
  if (managed !== undefined) return managed;
  const chosen = levelOf(env.POWERTOOLS_LOG_LEVEL) ?? levelOf(env.LOG_LEVEL) ?? THRESHOLD.INFO;
  return sampleRate > 0 && Math.random() <= sampleRate ? Math.min(chosen, THRESHOLD.DEBUG) : chosen;
};

const sampleRateFrom = (raw: string | undefined): number => {
  const rate = raw === undefined || raw.trim() === '' ? 0 : Number(raw);
  return rate >= 0 && rate <= 1 ? rate : 0;
};

/** The X-Ray trace id Lambda puts in `_X_AMZN_TRACE_ID` (`Root=…;Parent=…`), parsed once per value. */
let traceHeader: string | undefined;
let traceRoot: string | undefined;
const traceId = (): string | undefined => {
  const header = process.env._X_AMZN_TRACE_ID;
  if (header !== traceHeader) {
    traceHeader = header;
    traceRoot = header?.match(/(?:^|;)\s*Root=([^;]+)/)?.[1];
  }
  return traceRoot;
};

interface ErrorRecord {
  name: string;
  message: string;
  stack?: string | undefined;
  cause?: unknown;
  [key: string]: unknown;
}

/** An error as a plain object: name, message, stack, its cause, and any fields it carries (an AWS error's code). */
const errorRecord = (error: Error): ErrorRecord => {
  const record: ErrorRecord = { name: error.name, message: error.message, stack: error.stack };
  if (error.cause !== undefined)
    record.cause = error.cause instanceof Error ? errorRecord(error.cause) : error.cause;
  for (const key of Object.keys(error)) {
    if (!(key in record)) record[key] = (error as unknown as Record<string, unknown>)[key];
  }
  return record;
};

const plain = (_key: string, value: unknown): unknown =>
  value instanceof Error ? errorRecord(value) : typeof value === 'bigint' ? value.toString() : value;

/** Like `plain`, and drops a value that refers back to an object it sits in instead of throwing. */
const acyclic = () => {
  const ancestors: object[] = [];
  return function (this: unknown, key: string, value: unknown): unknown {
    const replaced = plain(key, value);
    if (typeof replaced !== 'object' || replaced === null) return replaced;
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(replaced)) return undefined;
    ancestors.push(replaced);
    return replaced;
  };
};

const serialise = (record: Record<string, unknown>): string => {
  try {
    return JSON.stringify(record, plain);
  } catch {
    return JSON.stringify(record, acyclic());
  }
};

/**
 * A structured logger writing one JSON line per entry, shaped as Powertools Logger's default lines:
 * `level`, `message`, `timestamp` (ISO, UTC), `service`, `sampling_rate`, `xray_trace_id` when Lambda traces,
 * then the extra fields (an extra that is an `Error` becomes `error`, with name, message and stack; empty
 * top-level values are left out). INFO and DEBUG go to stdout, WARN and ERROR to stderr. Any Cliq `zapikey`
 * in a line is redacted before it is written. With `output`, stdout lines are gathered there (the caller
 * flushes it at the end of an invocation) and a stderr line flushes it first, so the order holds.
 */
export const createLog = (
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
  output?: Output,
): Log => {
  const samplingRate = sampleRateFrom(env.POWERTOOLS_LOGGER_SAMPLE_RATE);
  const threshold = thresholdFrom(env, samplingRate);

  const write = (level: LevelName, toStdout: boolean, message: string, extra: readonly unknown[]) => {
    const record: Record<string, unknown> = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: serviceName,
      sampling_rate: samplingRate,
    };
    const trace = traceId();
    if (trace !== undefined) record.xray_trace_id = trace;
    for (const item of extra) {
      if (item === null || item === undefined) continue;
      if (item instanceof Error) record.error = item;
      else if (typeof item === 'string') record.extra = item;
      else if (typeof item === 'object') {
        for (const key of Object.keys(item)) {
          const value = (item as Record<string, unknown>)[key];
          if (!RESERVED.has(key) && value !== undefined && value !== null && value !== '')
            record[key] = value;
        }
      }
    }
    const line = `${redactTokens(serialise(record))}\n`;
    if (toStdout && output !== undefined) output.line(line);
    else {
      output?.flush();
      (toStdout ? process.stdout : process.stderr).write(line);
    }
  };

  const at = (name: LevelName, toStdout: boolean) => {
    const level = THRESHOLD[name];
    return (message: string, ...extra: Record<string, unknown>[]) => {
      if (level >= threshold) write(name, toStdout, message, extra);
    };
  };
  return {
    debug: at('DEBUG', true),
    info: at('INFO', true),
    warn: at('WARN', false),
    error: at('ERROR', false),
  };
};
