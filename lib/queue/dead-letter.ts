import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { redactTokens } from '../cliq/channel-url';
import { clip } from '../util/text';

/**
 * Why a message was dead-lettered. `retries_exhausted`: Cliq failed in a way worth retrying on the message's
 * last receive (the queue's maxReceiveCount), and what the DLQ tooling shows for a message SQS moved itself.
 * On that last receive, a failure that is not Cliq's is named for what failed: the state table
 * (`state_unavailable`), Secrets Manager (`secret_unavailable`), or the sender itself (`internal_error`).
 */
export const DEAD_LETTER_REASONS = [
  'invalid_message',
  'channel_not_configured',
  'format_failed',
  'cliq_rejected',
  'retries_exhausted',
  'state_unavailable',
  'secret_unavailable',
  'internal_error',
] as const;

/** Why a message was dead-lettered; kept as message attributes so the DLQ tooling can list and filter. */
export interface DeadLetterReason {
  readonly reason: (typeof DEAD_LETTER_REASONS)[number];
  readonly detail: string;
  readonly status?: number;
  readonly code?: string;
  readonly kind?: string;
  readonly source?: string;
  readonly channel?: string;
}

export type DeadLetter = (record: SQSRecord, why: DeadLetterReason) => Promise<void>;

const attribute = (value: string) => ({ DataType: 'String', StringValue: clip(redactTokens(value), 256) });

/**
 * Moves a record to the DLQ at once, with its reason, keeping its FIFO group. Used for failures that a
 * retry cannot fix; SQS's redrive policy handles the ones that exhaust their retries.
 */
export const createDeadLetter =
  (client: Pick<SQSClient, 'send'>, dlqUrl: string, now: () => Date = () => new Date()): DeadLetter =>
  async (record, why) => {
    const attributes: Record<string, ReturnType<typeof attribute>> = {
      reason: attribute(why.reason),
      detail: attribute(why.detail),
      failedAt: attribute(now().toISOString()),
    };
    for (const key of ['status', 'code', 'kind', 'source', 'channel'] as const) {
      const value = why[key];
      if (value !== undefined) attributes[key] = attribute(String(value));
    }
    await client.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: record.body,
        MessageGroupId: record.attributes.MessageGroupId ?? 'dead-letter',
        // one DLQ entry per delivery attempt: a repeat attempt is never deduplicated away
        MessageDeduplicationId: `${record.messageId}-${record.attributes.ApproximateReceiveCount ?? '1'}`,
        MessageAttributes: attributes,
      }),
    );
  };
