import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LocalState } from './dynamo-server';
import { ensureStateTable } from './state-table';

/** An endpoint as the banner and /health show it: scheme, host, port and path, never a user or password. */
export const shownEndpoint = (endpoint: string): string => {
  const url = new URL(endpoint);
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
};

type SdkError = { $metadata?: { httpStatusCode?: number } };

/** The SDK got no HTTP answer at all (refused, unknown host, timed out), rather than an error from the server. */
const unanswered = (error: unknown): boolean => {
  const metadata = (error as SdkError).$metadata;
  return metadata !== undefined && metadata.httpStatusCode === undefined;
};

const reasonOf = (error: unknown): string => {
  const { code, message, name } = error as { code?: string; message?: string; name?: string };
  if (error instanceof AggregateError) return error.errors.map(reasonOf).join('; ') || name || 'no answer';
  if (message !== undefined && message !== '' && message !== 'UnknownError') return message;
  return code ?? name ?? 'no answer';
};

/** What the server answered, when it did: `HTTP 400 ResourceInUseException: `. */
const answer = (error: unknown): string => {
  const status = (error as SdkError).$metadata?.httpStatusCode;
  return status === undefined ? '' : `HTTP ${status} ${(error as Error).name}: `;
};

/** The start-time error for an external server: which endpoint, what went wrong, what to do. */
export const externalStateError = (endpoint: string, tableName: string, error: unknown): Error => {
  const where = `DynamoDB at ${shownEndpoint(endpoint)} (DYNAMODB_ENDPOINT)`;
  return new Error(
    unanswered(error)
      ? `${where} cannot be reached: ${reasonOf(error)}. Start that server, or unset DYNAMODB_ENDPOINT to use the embedded one`
      : `${where} could not set up table ${tableName}: ${answer(error)}${reasonOf(error)}`,
    { cause: error },
  );
};

/**
 * The state table on a DynamoDB server someone else runs (DynamoDB Local, LocalStack, a proxy), found or
 * created through `client`, which signs as the sender's does (dynamoClientFor). The local stack guards only
 * the servers it embeds: this one is its owner's. Stopping closes the client, never the server.
 */
export const connectExternalState = async (options: {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
}): Promise<LocalState> => {
  const { endpoint, client, tableName } = options;
  try {
    const table = await ensureStateTable(client, tableName);
    return {
      kind: 'external',
      endpoint,
      client,
      tableName,
      dir: undefined,
      table,
      stop: async () => client.destroy(),
    };
  } catch (error) {
    client.destroy();
    throw externalStateError(endpoint, tableName, error);
  }
};
