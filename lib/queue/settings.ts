import settings from '../../serverless/queue.json';

/**
 * The events queue's visibility timeout and redrive count, from the one file serverless.yml also reads
 * (`${file(./serverless/queue.json):…}`), so the local stack retries and dead-letters exactly as AWS does.
 */
export interface QueueSettings {
  /** Six times the sender's timeout, as AWS recommends for a Lambda event source mapping. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before SQS's redrive policy moves a message to the DLQ. */
  readonly maxReceiveCount: number;
  /** Records per sender invocation (the event source's batch size): a full batch says more is queued. */
  readonly senderBatchSize: number;
  /**
   * `messageGroup` and `perMessageGroupId` together put the FIFO queue in high-throughput mode (Amazon SQS
   * Developer Guide, "High throughput for FIFO queues"); either one otherwise leaves it at normal throughput.
   */
  readonly deduplicationScope: string;
  readonly fifoThroughputLimit: string;
}

export const QUEUE_SETTINGS: QueueSettings = settings;
