import { sha256Hex } from '../../util/hash';

/**
 * The identity of a signed delivery: a digest of the bytes its signature covers. Delivery id headers
 * (X-GitHub-Delivery, Request-ID) are not signed, so anyone holding one captured body could send it again under
 * a fresh id; keyed on the signed bytes, that replay is the same event and posts once for the ledger's lifetime.
 * A genuine redelivery carries the same bytes, so it keeps its identity too. Two byte-identical signed bodies
 * are one event by construction: whatever else could tell them apart is unsigned, so a replayer could forge it.
 */
export const signedIdentity = (source: string, signed: Uint8Array | string): string =>
  `${source}:sha256:${sha256Hex(signed)}`;

/** What a timestamped signature is checked against: this server's clock and how far a sender's may differ. */
export interface RequestClock {
  readonly now: Date;
  readonly toleranceSeconds: number;
}

export const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 300;

/**
 * Why a source's Unix-seconds timestamp header is refused, or undefined when it is within tolerance: a capture
 * sent again later is refused however its id header was changed.
 */
export const timestampProblem = (header: string, value: string, clock: RequestClock): string | undefined => {
  const seconds = /^\d{1,12}(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(seconds)) return `${header} must be Unix time in seconds`;
  const difference = Math.round(Math.abs(clock.now.getTime() / 1000 - seconds));
  if (difference <= clock.toleranceSeconds) return undefined;
  return `${header} is ${difference} s from this server's clock (allowed: ${clock.toleranceSeconds} s): check the sender's clock; a delivery captured and sent again later is refused (WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS)`;
};
