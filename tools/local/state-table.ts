import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { STATE_TABLE, stateAttributeDefinitions, stateKeySchema } from '../../lib/state/table';

/** What making sure of the state table found and did. */
export interface StateTableReport {
  /** This start created the table (false: it was there, or another process created it meanwhile). */
  readonly created: boolean;
  /** TTL on `expiresAt`: `unsupported` where the server has no TTL API (dynalite); reads check expiry anyway. */
  readonly ttl: 'enabled' | 'unsupported';
}

export interface EnsureOptions {
  /** How long a table may stay CREATING (DynamoDB Local and LocalStack are instant; AWS takes seconds). */
  readonly activeWithinMs?: number;
  readonly pollMs?: number;
}

/** An operation the server does not implement: dynalite answers UnknownOperationException. */
const unknownOperation = (error: unknown) => (error as Error).name === 'UnknownOperationException';

const describe = async (client: DynamoDBClient, TableName: string) =>
  (await client.send(new DescribeTableCommand({ TableName }))).Table;

const keysOf = (table: TableDescription | undefined) =>
  (table?.KeySchema ?? []).map((key) => `${key.AttributeName} (${key.KeyType})`).join(', ') || 'none';

/** Enables TTL on `expiresAt` unless it is on already; a server without the TTL API is told apart, not fatal. */
const ensureTtl = async (client: DynamoDBClient, TableName: string): Promise<StateTableReport['ttl']> => {
  const status = async () =>
    (await client.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription?.TimeToLiveStatus;
  try {
    const before = await status();
    if (before === 'ENABLED' || before === 'ENABLING') return 'enabled';
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName,
        TimeToLiveSpecification: { AttributeName: STATE_TABLE.ttlAttribute, Enabled: true },
      }),
    );
    return 'enabled';
  } catch (error) {
    if (unknownOperation(error)) return 'unsupported';
    // another process enabling it at the same moment is refused ("already enabled"): look again
    const after = await status().catch(() => undefined);
    if (after === 'ENABLED' || after === 'ENABLING') return 'enabled';
    throw error;
  }
};

/**
 * Makes sure the state table exists as serverless.yml declares it (lib/state/table.ts): creates it when
 * missing, tolerating another process creating it at the same moment, waits until it is ACTIVE, refuses a
 * table of the same name with other keys, and enables TTL where the server supports it.
 */
export const ensureStateTable = async (
  client: DynamoDBClient,
  TableName: string,
  { activeWithinMs = 30_000, pollMs = 100 }: EnsureOptions = {},
): Promise<StateTableReport> => {
  let table: TableDescription | undefined;
  let created = false;
  try {
    table = await describe(client, TableName);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      table = (
        await client.send(
          new CreateTableCommand({
            TableName,
            BillingMode: STATE_TABLE.billingMode,
            KeySchema: stateKeySchema(),
            AttributeDefinitions: stateAttributeDefinitions(),
          }),
        )
      ).TableDescription;
      created = true;
    } catch (raced) {
      // another stack (or process) created it between our DescribeTable and CreateTable
      if (!(raced instanceof ResourceInUseException)) throw raced;
      table = await describe(client, TableName);
    }
  }
  const deadline = Date.now() + activeWithinMs;
  while (table?.TableStatus !== 'ACTIVE') {
    if (table?.TableStatus !== 'CREATING' && table?.TableStatus !== 'UPDATING')
      throw new Error(`table ${TableName} is ${table?.TableStatus ?? 'gone'}, not ACTIVE`);
    if (Date.now() > deadline)
      throw new Error(`table ${TableName} is still ${table.TableStatus} after ${activeWithinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    table = await describe(client, TableName);
  }
  const wanted = keysOf({ KeySchema: stateKeySchema() });
  if (keysOf(table) !== wanted)
    throw new Error(
      `table ${TableName} has the keys ${keysOf(table)}, not Vigil's ${wanted}: delete it or use another server`,
    );
  return { created, ttl: await ensureTtl(client, TableName) };
};
