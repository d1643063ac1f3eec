import type { SQSRecord } from 'aws-lambda';
import type { DeliveryResult } from '../cliq/deliver';
import type { Counters } from '../metrics';
import type { DeadLetterReason } from '../queue/dead-letter';
import type { QueuedMessage } from '../queue/queued-message';
import type { SenderDeps } from './deps';
import { ledgerRecord } from './ledger';
import { receiveCount } from './receive-count';
import { createStateWrite, type StateWrite } from './state-write';

/** Why Cliq's refusal dead-letters a record. */
export const refusal = (
  refused: DeliveryResult,
  identity: { kind: string; source: string; channel: string },
): DeadLetterReason => ({
  // a failure worth retrying ends here only on the message's last receive
  reason: !refused.ok && refused.transient ? 'retries_exhausted' : 'cliq_rejected',
  detail: refused.ok ? '' : refused.message,
  ...(refused.ok || refused.status === undefined ? {} : { status: refused.status }),
  ...(refused.ok || refused.code === undefined ? {} : { code: refused.code }),
  ...identity,
});

export type DeadLetterRecords = (
  dead: readonly { readonly record: SQSRecord; readonly message?: QueuedMessage | undefined }[],
  why: DeadLetterReason,
) => Promise<void>;

/**
 * Moves records to the DLQ with their reason, counts them, and writes each one that carried a valid message
 * to the delivery ledger as `dead_lettered`. That write never fails the record (it is in the DLQ already, and
 * the state table may be what failed): it is retried, then logged.
 */
export const createDeadLetterRecords =
  (
    deps: SenderDeps,
    counters: Counters,
    now: () => number,
    persist: StateWrite = createStateWrite({ log: deps.log, counters, sleep: deps.sleep }),
  ): DeadLetterRecords =>
  async (dead, why) => {
    const { state } = deps;
    for (const { record, message } of dead) {
      await deps.deadLetter(record, why);
      counters.count('dead_lettered', why.source ?? 'unknown');
      if (message === undefined || state === undefined) continue;
      const entry = ledgerRecord(message.channel, message.event, 'dead_lettered', {
        attempts: receiveCount(record),
        now: now(),
        reason: why.detail === undefined ? why.reason : `${why.reason}: ${why.detail}`,
      });
      await persist(
        'the ledger entry',
        { channel: message.channel, source: message.event.source, eventId: message.event.id },
        () => state.recordDelivery(entry),
        'the dead letter',
      );
    }
  };
