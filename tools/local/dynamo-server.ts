import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { STATE_TABLE, stateAttributeDefinitions, stateKeySchema } from '../../lib/state/table';
import { guardServer } from './guard-listener';

type Dynalite = (options: { createTableMs?: number; path?: string }) => Server;

export interface LocalState {
  readonly server: Server;
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Where the items persist (LevelDB), or undefined when they live in memory. */
  readonly dir: string | undefined;
  stop(): Promise<void>;
}

export const localDynamoClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** Creates the state table as serverless.yml declares it, unless a persisted one is already there. */
export const ensureStateTable = async (client: DynamoDBClient, TableName: string) => {
  try {
    await client.send(new DescribeTableCommand({ TableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: STATE_TABLE.billingMode,
        KeySchema: stateKeySchema(),
        AttributeDefinitions: stateAttributeDefinitions(),
      }),
    );
  }
};

/**
 * Starts the embedded DynamoDB server (dynalite: the DynamoDB wire protocol over LevelDB) with the state
 * table. With `dir` the items persist there across restarts; without it they live in memory. dynalite has no
 * UpdateTimeToLive, so nothing expires here by itself: the store treats expired items as absent.
 */
export const startLocalState = async (options: {
  readonly port: number;
  readonly host: string;
  readonly tableName: string;
  readonly dir?: string | undefined;
}): Promise<LocalState> => {
  if (options.dir !== undefined) mkdirSync(options.dir, { recursive: true });
  const dynalite = require('dynalite') as Dynalite;
  // dynalite grants any page CORS access and takes any signature: only loopback, non-browser requests reach it
  const server = guardServer(
    dynalite({ createTableMs: 0, ...(options.dir === undefined ? {} : { path: options.dir }) }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const endpoint = `http://${options.host}:${(server.address() as AddressInfo).port}`;
  const client = localDynamoClient(endpoint);
  const stop = async () => {
    client.destroy();
    server.closeAllConnections();
    // dynalite's close also closes its LevelDB, releasing the directory's lock for the next start
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  };
  try {
    await ensureStateTable(client, options.tableName);
  } catch (error) {
    await stop();
    throw error;
  }
  return { server, endpoint, client, tableName: options.tableName, dir: options.dir, stop };
};
