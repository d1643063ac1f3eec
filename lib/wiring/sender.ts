import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { postToCliq } from '../cliq/deliver';
import { printPreview } from '../cliq/preview';
import { loadConfig, requireKey } from '../config';
import { Pacer } from '../delivery/pacer';
import { autoDigestAfter } from '../delivery/plan';
import { createLog } from '../log';
import { cloudWatchCounters, noCounters } from '../metrics';
import { createDeadLetter } from '../queue/dead-letter';
import { QUEUE_SETTINGS } from '../queue/settings';
import { tickSender } from '../queue/tick';
import { loadRouting } from '../routing/load';
import type { RoutingConfig } from '../routing/schema';
import type { SenderDeps } from '../sender/deps';
import { type EngineDeps, maxPostsPerCall } from '../sender/engine';
import { formatEvent } from '../sources/events';
import { dynamoStateStore } from '../state/dynamo-store';
import { dynamoOutboxStore } from '../state/outbox-store';
import { dynamoClientFor, type Env, secretSourceFor, sqsClientFor } from './aws';

/** The sender's dependencies: every source's formatter (lib/sources/events.ts), none of their normalizers. */
export const senderDeps = (
  env: Env = process.env,
  routing: RoutingConfig = loadRouting(env).config,
): SenderDeps => {
  const config = loadConfig(env);
  const dlqUrl = requireKey(config.dlqUrl, 'DLQ_URL');
  const queueUrl = requireKey(config.queueUrl, 'QUEUE_URL');
  const queue = sqsClientFor(config, queueUrl);
  // one client (one connection pool, one credential chain) for both queues when they share an endpoint
  const sameEndpoint = new URL(dlqUrl).origin === new URL(queueUrl).origin;
  const dlq = sameEndpoint ? queue : sqsClientFor(config, dlqUrl);
  return {
    pacer: new Pacer(config.postsPerMinute),
    digestAfter: config.digestAfter ?? autoDigestAfter(config.postsPerMinute),
    maxReceiveCount: QUEUE_SETTINGS.maxReceiveCount,
    retry: config.retry,
    changeVisibility: async (record, seconds) => {
      await queue.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    },
    secrets: secretSourceFor(config, env),
    previewWhenUnset: config.local,
    format: formatEvent,
    deliver: (url, message) => postToCliq(fetch, url, message, config.cliqTimeoutMs),
    preview: printPreview,
    deadLetter: createDeadLetter(dlq, dlqUrl),
    channels: routing.channels,
    state: dynamoStateStore({
      client: dynamoClientFor(config),
      tableName: requireKey(config.stateTable, 'STATE_TABLE'),
    }),
    counters: config.local ? noCounters : cloudWatchCounters('vigil-sender', env),
    log: createLog('vigil-sender', env),
  };
};

/** The outbox in front of the sender: the same table as the ledger, and ticks into the events queue. */
export const engineDeps = (env: Env = process.env): EngineDeps => {
  const config = loadConfig(env);
  const queueUrl = requireKey(config.queueUrl, 'QUEUE_URL');
  return {
    store: dynamoOutboxStore({
      client: dynamoClientFor(config),
      tableName: requireKey(config.stateTable, 'STATE_TABLE'),
    }),
    queueTick: tickSender(sqsClientFor(config, queueUrl), queueUrl, false),
    maxPosts: maxPostsPerCall(config.postsPerMinute),
    batchSize: QUEUE_SETTINGS.senderBatchSize,
    straightWithoutOutbox: config.local,
  };
};
