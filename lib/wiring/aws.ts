import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '../config';
import { fromEnvironment, fromSecretsManager, type SecretSource, secretsManagerIn } from '../secrets';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Locally the SQS endpoint is the queue URL's origin (the local stack); in AWS the SDK's default.
 * `maxAttempts: 1` hands retries to the caller (ingest retries within its own time budget).
 */
export const sqsClientFor = (
  config: Config,
  queueUrl: string,
  options: { maxAttempts?: number } = {},
): SQSClient =>
  config.local
    ? new SQSClient({
        region: config.region,
        endpoint: new URL(queueUrl).origin,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        ...options,
      })
    : new SQSClient({ region: config.region, ...options });

/**
 * Locally the DynamoDB endpoint is DYNAMODB_ENDPOINT's server, else the local stack's on 127.0.0.1 at
 * DYNAMODB_PORT (default 8000); in AWS the SDK's default. Every local client signs as the same access key and
 * region, since DynamoDB Local keeps one database per key and region. `options` tunes retries and timeouts.
 */
export const dynamoClientFor = (
  config: Config,
  options: Pick<DynamoDBClientConfig, 'maxAttempts' | 'requestHandler'> = {},
): DynamoDBClient =>
  config.local
    ? new DynamoDBClient({
        region: config.region,
        endpoint: config.dynamodbEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        ...options,
      })
    : new DynamoDBClient({ region: config.region, ...options });

/** Locally the environment over `developmentSecrets` (the function's own sources'); in AWS, Secrets Manager. */
export const secretSourceFor = (
  config: Config,
  env: Env,
  developmentSecrets: Readonly<Record<string, string>> = {},
): SecretSource =>
  config.local || config.secretId === undefined
    ? fromEnvironment(env, config.local ? developmentSecrets : {})
    : fromSecretsManager(secretsManagerIn(config.region), config.secretId);
