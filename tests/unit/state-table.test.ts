import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { stateKeySchema } from '../../lib/state/table';
import { ensureStateTable } from '../../tools/local/state-table';

/**
 * DynamoDB Local and LocalStack implement UpdateTimeToLive, dynalite does not, and neither of the first two
 * runs here (Java, Docker): a client answering as they do stands in for them.
 */
const serverWithTtl = (ttl: { status: string; update?: () => never }) => {
  const updates: unknown[] = [];
  const send = async (command: object) => {
    if (command instanceof DescribeTableCommand)
      return { Table: { TableStatus: 'ACTIVE', KeySchema: stateKeySchema() } };
    if (command instanceof DescribeTimeToLiveCommand)
      return { TimeToLiveDescription: { TimeToLiveStatus: ttl.status } };
    if (command instanceof UpdateTimeToLiveCommand) {
      updates.push(command.input);
      ttl.update?.();
      ttl.status = 'ENABLED';
      return {};
    }
    throw new Error(`unexpected ${command.constructor.name}`);
  };
  return { client: { send } as unknown as DynamoDBClient, updates };
};

describe('ensureStateTable on a server with TTL', () => {
  it('enables TTL on expiresAt when it is off', async () => {
    const server = serverWithTtl({ status: 'DISABLED' });
    expect(await ensureStateTable(server.client, 'vigil-local-state')).toEqual({
      created: false,
      ttl: 'enabled',
    });
    expect(server.updates).toEqual([
      {
        TableName: 'vigil-local-state',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    ]);
  });

  it('leaves TTL alone when it is on already', async () => {
    const server = serverWithTtl({ status: 'ENABLED' });
    expect((await ensureStateTable(server.client, 'vigil-local-state')).ttl).toBe('enabled');
    expect(server.updates).toEqual([]);
  });

  it('takes a refusal because another process enabled it meanwhile', async () => {
    const ttl = {
      status: 'DISABLED',
      update: (): never => {
        ttl.status = 'ENABLED';
        throw Object.assign(new Error('TimeToLive is already enabled'), { name: 'ValidationException' });
      },
    };
    expect((await ensureStateTable(serverWithTtl(ttl).client, 'vigil-local-state')).ttl).toBe('enabled');
  });

  it('passes on any other refusal', async () => {
    const ttl = {
      status: 'DISABLED',
      update: (): never => {
        throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
      },
    };
    await expect(ensureStateTable(serverWithTtl(ttl).client, 'vigil-local-state')).rejects.toThrow(
      'User is not authorized',
    );
  });
});
