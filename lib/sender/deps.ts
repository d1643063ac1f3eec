import type { SQSRecord } from 'aws-lambda';
import type { DeliveryResult } from '../cliq/deliver';
import type { CliqMessage } from '../cliq/message';
import type { Pacer } from '../delivery/pacer';
import type { VigilEvent } from '../event/model';
import type { Log } from '../log';
import type { Counters } from '../metrics';
import type { DeadLetter } from '../queue/dead-letter';
import type { Channel } from '../routing/schema';
import type { SecretSource } from '../secrets';
import type { StateStore } from '../state/store';

/** What the sender needs from the world: lib/wiring/sender.ts builds it for AWS and the local stack. */
export interface SenderDeps {
  readonly secrets: SecretSource;
  /** Local runs only: a channel with no URL prints its messages instead of failing. */
  readonly previewWhenUnset: boolean;
  readonly format: (event: VigilEvent) => CliqMessage;
  readonly deliver: (url: string, message: CliqMessage) => Promise<DeliveryResult>;
  readonly preview: (message: CliqMessage, context: { channel: string; event: VigilEvent }) => void;
  readonly deadLetter: DeadLetter;
  /** Spaces posts per Cliq owner and remembers rate-limit locks (one per container). */
  readonly pacer?: Pacer;
  /** Moves a failed record's next delivery out (backoff, or until Cliq's lock lifts). */
  readonly changeVisibility?: (record: SQSRecord, seconds: number) => Promise<void>;
  readonly retry?: {
    readonly baseSeconds: number;
    readonly maxSeconds: number;
    readonly lockSeconds: number;
  };
  /** More events waiting for one channel in a batch than this are merged into digests (`auto`). */
  readonly digestAfter?: number;
  /**
   * This call sends more than the owner's budget has posts for (the outbox's flush in a storm): every event
   * of a channel shares its summary digest, critical ones too, and replies are named there, not threaded.
   */
  readonly summarize?: boolean;
  readonly counters?: Counters;
  /** The queue's redrive count: a retryable failure on a record's last receive is dead-lettered here. */
  readonly maxReceiveCount?: number;
  /** Per-channel settings from the routing file (bot to post as, display bot). */
  readonly channels?: Readonly<Record<string, Channel | null | undefined>>;
  /** The delivery ledger and conversations. Without it, every event posts on its own as it always did. */
  readonly state?: StateStore;
  readonly now?: () => number;
  /** Waits between tries of a state write that follows a post (state-write.ts); tests make it instant. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log: Log;
}
