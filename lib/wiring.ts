import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { postToCliq } from './cliq/deliver';
import { printPreview } from './cliq/preview';
import { type Config, loadConfig, requireKey } from './config';
import { Pacer } from './delivery/pacer';
import { autoDigestAfter } from './delivery/plan';
import { fromApiGateway } from './http/request';
import { routedDestinations } from './ingest/destinations';
import { createIngest, type IngestDeps } from './ingest/handle-webhook';
import { createLog } from './log';
import { cloudWatchCounters, noCounters } from './metrics';
import { createDeadLetter } from './queue/dead-letter';
import { createEnqueue, withDryRunWhenOffline } from './queue/enqueue';
import { QUEUE_SETTINGS } from './queue/settings';
import { loadRouting } from './routing/load';
import type { RoutingConfig } from './routing/schema';
import { fromEnvironment, fromSecretsManager, type SecretSource, secretsManagerProvider } from './secrets';
import type { SenderDeps } from './sender/handle-record';
import { developmentSecrets, formatEvent } from './sources/registry';
import type { SourceAdapter } from './sources/source';
import { dynamoStateStore } from './state/dynamo-store';

type Env = Readonly<Record<string, string | undefined>>;

/** Locally the SQS endpoint is the queue URL's origin (the local stack); in AWS the SDK's default. */
export const sqsClientFor = (config: Config, queueUrl: string): SQSClient =>
  config.local
    ? new SQSClient({
        region: config.region,
        endpoint: new URL(queueUrl).origin,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      })
    : new SQSClient({ region: config.region });

/**
 * Locally the DynamoDB endpoint is the local stack's server (DYNAMODB_ENDPOINT, else 127.0.0.1 on
 * DYNAMODB_PORT, default 8000); in AWS the SDK's default.
 */
export const dynamoClientFor = (config: Config): DynamoDBClient =>
  config.local
    ? new DynamoDBClient({
        region: config.region,
        endpoint: config.dynamodbEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      })
    : new DynamoDBClient({ region: config.region });

export const secretSourceFor = (config: Config, env: Env): SecretSource =>
  config.local || config.secretId === undefined
    ? fromEnvironment(env, config.local ? developmentSecrets() : {})
    : fromSecretsManager(secretsManagerProvider(config.region), config.secretId);

/** `routing` defaults to the file in use; the local stack passes the one it already loaded. */
export const ingestDeps = (
  source: SourceAdapter,
  env: Env = process.env,
  routing: RoutingConfig = loadRouting(env).config,
): IngestDeps => {
  const config = loadConfig(env);
  const log = createLog(`vigil-${source.name}`);
  const queueUrl = requireKey(config.queueUrl, 'QUEUE_URL');
  const enqueue = createEnqueue(sqsClientFor(config, queueUrl), queueUrl);
  return {
    source,
    secrets: secretSourceFor(config, env),
    destinations: routedDestinations({ config: routing, previewWhenUnset: config.local }),
    enqueue: config.local ? withDryRunWhenOffline(enqueue, log) : enqueue,
    maxBodyBytes: config.maxBodyBytes,
    now: () => new Date(),
    log,
    counters: config.local ? noCounters : cloudWatchCounters(`vigil-${source.name}`),
  };
};

export const senderDeps = (
  env: Env = process.env,
  routing: RoutingConfig = loadRouting(env).config,
): SenderDeps => {
  const config = loadConfig(env);
  const dlqUrl = requireKey(config.dlqUrl, 'DLQ_URL');
  const queueUrl = requireKey(config.queueUrl, 'QUEUE_URL');
  const queue = sqsClientFor(config, queueUrl);
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
    deadLetter: createDeadLetter(sqsClientFor(config, dlqUrl), dlqUrl),
    channels: routing.channels,
    state: dynamoStateStore({
      client: dynamoClientFor(config),
      tableName: requireKey(config.stateTable, 'STATE_TABLE'),
    }),
    counters: config.local ? noCounters : cloudWatchCounters('vigil-sender'),
    log: createLog('vigil-sender'),
  };
};

/** A source's Lambda handler: API Gateway event in, HTTP result out. */
export const webhookHandler = (source: SourceAdapter, deps: IngestDeps = ingestDeps(source)) => {
  const ingest = createIngest(deps);
  return (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
    ingest(fromApiGateway(event));
};
