import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { guardServer } from './guard-listener';
import { ensureStateTable, type StateTableReport } from './state-table';

type DynaliteFactory = (options: { createTableMs?: number; path?: string }) => Server;

/** The state table the local stack runs on, wherever it is served. */
export interface LocalState {
  /** `embedded`: dynalite inside the stack; `external`: DYNAMODB_ENDPOINT's server, someone else's. */
  readonly kind: 'embedded' | 'external';
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Where the items persist (LevelDB), or undefined when they live in memory or on another server. */
  readonly dir: string | undefined;
  readonly table: StateTableReport;
  stop(): Promise<void>;
}

export interface EmbeddedState extends LocalState {
  readonly kind: 'embedded';
  readonly server: Server;
}

export const localDynamoClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

export interface Dynalite {
  readonly server: Server;
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts dynalite (the DynamoDB wire protocol over LevelDB) behind the loopback guard, with no tables. With
 * `dir` the items persist there across restarts; without it they live in memory. A table stays CREATING for
 * `createTableMs` (0: ready at once; AWS and dynalite's default take a while).
 */
export const startDynalite = async (options: {
  readonly port: number;
  readonly host: string;
  readonly dir?: string | undefined;
  readonly createTableMs?: number;
}): Promise<Dynalite> => {
  if (options.dir !== undefined) mkdirSync(options.dir, { recursive: true });
  const dynalite = require('dynalite') as DynaliteFactory;
  // dynalite grants any page CORS access and takes any signature: only loopback, non-browser requests reach it
  const server = guardServer(
    dynalite({
      createTableMs: options.createTableMs ?? 0,
      ...(options.dir === undefined ? {} : { path: options.dir }),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const stop = async () => {
    server.closeAllConnections();
    // dynalite's close also closes its LevelDB, releasing the directory's lock for the next start
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  };
  return { server, endpoint: `http://${options.host}:${(server.address() as AddressInfo).port}`, stop };
};

/**
 * Starts the embedded DynamoDB server with the state table. dynalite has no UpdateTimeToLive, so nothing
 * expires here by itself: the store treats expired items as absent.
 */
export const startLocalState = async (options: {
  readonly port: number;
  readonly host: string;
  readonly tableName: string;
  readonly dir?: string | undefined;
}): Promise<EmbeddedState> => {
  const dynalite = await startDynalite(options);
  const client = localDynamoClient(dynalite.endpoint);
  const stop = async () => {
    client.destroy();
    await dynalite.stop();
  };
  try {
    const table = await ensureStateTable(client, options.tableName);
    const { server, endpoint } = dynalite;
    return {
      kind: 'embedded',
      server,
      endpoint,
      client,
      tableName: options.tableName,
      dir: options.dir,
      table,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
