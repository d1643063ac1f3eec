import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { LEDGER_PREFIX } from '../../lib/state/dynamo-items';
import { LOCAL_STATE_TABLE, stateKeySchema } from '../../lib/state/table';
import { DynamoChaosProxy } from '../../tools/harness/dynamo-chaos-proxy';
import { type Dynalite, localDynamoClient, startDynalite } from '../../tools/local/dynamo-server';
import { ensureStateTable } from '../../tools/local/state-table';
import { testStack, testStackWithCliq } from '../helpers/local-stack';
import { postSample } from '../helpers/samples';

/** A port nothing listens on: one the system just handed out and took back. */
const closedPort = async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
};

/**
 * `npm start` on a DynamoDB server someone else runs (DYNAMODB_ENDPOINT): here a standalone dynalite whose
 * tables stay CREATING for a while, as DynamoDB's do, sometimes behind the chaos proxy.
 */
describe('the local stack on an external DynamoDB (DYNAMODB_ENDPOINT)', () => {
  let external: Dynalite;
  let direct: DynamoDBClient;

  beforeEach(async () => {
    external = await startDynalite({ port: 0, host: '127.0.0.1', createTableMs: 300 });
    direct = localDynamoClient(external.endpoint);
  });
  afterEach(async () => {
    direct.destroy();
    await external.stop();
  });

  const ledgerItems = async () =>
    ((await direct.send(new ScanCommand({ TableName: LOCAL_STATE_TABLE }))).Items ?? []).filter((item) =>
      item.pk?.S?.startsWith(LEDGER_PREFIX),
    );

  it('creates the missing table there, delivers a signed webhook with its ledger entry there, and finds the table on the next start', async () => {
    expect((await direct.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    const env = { DYNAMODB_ENDPOINT: external.endpoint, CLIQ_POSTS_PER_MINUTE: '600' };

    const first = await testStackWithCliq(env);
    try {
      expect(first.stack.state).toMatchObject({
        kind: 'external',
        endpoint: external.endpoint,
        dir: undefined,
        table: { created: true, ttl: 'unsupported' },
      });
      const { Table } = await direct.send(new DescribeTableCommand({ TableName: LOCAL_STATE_TABLE }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(Table?.KeySchema).toEqual(stateKeySchema());
      expect(await (await fetch(`${first.stack.url}/health`)).json()).toMatchObject({
        dynamodb: { server: 'external', endpoint: external.endpoint, table: LOCAL_STATE_TABLE },
      });

      expect((await postSample(first.stack.url, 'github/push')).status).toBe(202);
      await first.stack.waitForIdle();
      expect(first.cliq.messages('ops')).toHaveLength(1);
      expect(await ledgerItems()).toEqual([
        // the stack's ZOHO_CLIQ_WEBHOOK_URL is the routing file's `default` channel
        expect.objectContaining({
          channel: { S: 'default' },
          source: { S: 'github' },
          state: { S: 'delivered' },
        }),
      ]);
    } finally {
      await first.stack.stop();
      await first.cliq.stop();
    }

    const second = await testStackWithCliq(env);
    try {
      expect(second.stack.state.table.created).toBe(false);
      // the same delivery again: the ledger on the external server says it was posted, so it is not
      expect((await postSample(second.stack.url, 'github/push')).status).toBe(202);
      await second.stack.waitForIdle();
      expect(second.cliq.messages('ops')).toHaveLength(0);
      expect(await ledgerItems()).toHaveLength(1);
    } finally {
      await second.stack.stop();
      await second.cliq.stop();
    }
  }, 30_000);

  it('delivers once through throttled writes that the SDK retries (the chaos proxy in front)', async () => {
    const proxy = await new DynamoChaosProxy({ target: external.endpoint, throttleFraction: 0 }).start();
    const { cliq, stack } = await testStackWithCliq({
      DYNAMODB_ENDPOINT: proxy.url,
      CLIQ_POSTS_PER_MINUTE: '600',
    });
    try {
      proxy.failNext(2);
      expect((await postSample(stack.url, 'github/push')).status).toBe(202);
      await stack.waitForIdle();
      expect(cliq.messages('ops')).toHaveLength(1);
      expect(proxy.count('throttle')).toBe(2);
      expect(proxy.forwarded.PutItem).toBeGreaterThanOrEqual(1);
      expect(await ledgerItems()).toHaveLength(1);
    } finally {
      await stack.stop();
      await cliq.stop();
      await proxy.stop();
    }
  }, 30_000);

  it('survives another process creating the table at the same moment (ResourceInUseException)', async () => {
    const proxy = await new DynamoChaosProxy({ target: external.endpoint }).start();
    const clients = [localDynamoClient(proxy.url), localDynamoClient(proxy.url)];
    try {
      const reports = await Promise.all(clients.map((client) => ensureStateTable(client, LOCAL_STATE_TABLE)));
      // both asked to create it: one did, the other was told it is in use and waited for it
      expect(proxy.forwarded.CreateTable).toBe(2);
      expect(reports.map((report) => report.created).sort()).toEqual([false, true]);
    } finally {
      for (const client of clients) client.destroy();
      await proxy.stop();
    }
  });

  it('refuses to start on a table of the same name with other keys, naming them', async () => {
    await direct.send(
      new CreateTableCommand({
        TableName: LOCAL_STATE_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      }),
    );
    await expect(testStack({ DYNAMODB_ENDPOINT: external.endpoint })).rejects.toThrow(
      `DynamoDB at ${external.endpoint} (DYNAMODB_ENDPOINT) could not set up table ${LOCAL_STATE_TABLE}: table ${LOCAL_STATE_TABLE} has the keys id (HASH), not Vigil's pk (HASH), sk (RANGE)`,
    );
  });

  it('fails at start naming the endpoint it cannot reach, and never its credentials', async () => {
    const port = await closedPort();
    // (under Jest the SDK wraps Node's cross-realm error, so the reason reads "AWS SDK error wrapper for Error: …")
    await expect(testStack({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` })).rejects.toThrow(
      new RegExp(
        `^DynamoDB at http://127\\.0\\.0\\.1:${port} \\(DYNAMODB_ENDPOINT\\) cannot be reached: .*connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\. Start that server, or unset DYNAMODB_ENDPOINT to use the embedded one$`,
      ),
    );
    const error = await testStack({ DYNAMODB_ENDPOINT: `http://vigil:s3cret@127.0.0.1:${port}` }).catch(
      (caught: Error) => caught,
    );
    expect((error as Error).message).toContain(`DynamoDB at http://127.0.0.1:${port} (DYNAMODB_ENDPOINT)`);
    expect((error as Error).message).not.toMatch(/vigil:|s3cret/);
  });
});
