import { Logger } from '@aws-lambda-powertools/logger';

/** The logging surface the core needs; Powertools' Logger satisfies it and tests pass a recorder. */
export interface Log {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export const createLog = (serviceName: string): Log => new Logger({ serviceName });
