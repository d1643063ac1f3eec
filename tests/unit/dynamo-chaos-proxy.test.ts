import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type DynamoChaosOptions, DynamoChaosProxy } from '../../tools/harness/dynamo-chaos-proxy';
import { DYNAMO_FAULTS } from '../../tools/harness/dynamo-faults';
import { type Dynalite, localDynamoClient, startDynalite } from '../../tools/local/dynamo-server';
import { ensureStateTable } from '../../tools/local/state-table';

const TableName = 'vigil-chaos-state';
const item = (pk: string) => ({ pk: { S: pk }, sk: { S: 'ledger' }, expiresAt: { N: '9999999999' } });

describe('DynamoChaosProxy', () => {
  let dynalite: Dynalite;
  let direct: DynamoDBClient;
  const proxies: DynamoChaosProxy[] = [];
  const clients: DynamoDBClient[] = [];

  beforeAll(async () => {
    dynalite = await startDynalite({ port: 0, host: '127.0.0.1' });
    direct = localDynamoClient(dynalite.endpoint);
    await ensureStateTable(direct, TableName);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
  });
  afterAll(async () => {
    direct.destroy();
    await dynalite.stop();
  });

  /** A proxy in front of dynalite and an SDK client through it, retrying `maxAttempts` times in all. */
  const through = async (options: Omit<DynamoChaosOptions, 'target'>, maxAttempts = 1) => {
    const proxy = await new DynamoChaosProxy({ target: dynalite.endpoint, ...options }).start();
    proxies.push(proxy);
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: proxy.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts,
    });
    clients.push(client);
    return { proxy, client };
  };
  const put = (client: DynamoDBClient, pk: string) =>
    client.send(new PutItemCommand({ TableName, Item: item(pk) }));
  const stored = async (pk: string) =>
    (await direct.send(new GetItemCommand({ TableName, Key: { pk: { S: pk }, sk: { S: 'ledger' } } }))).Item;

  it('passes table operations and reads through untouched, whatever the shares', async () => {
    await direct.send(new PutItemCommand({ TableName, Item: item('read-me') }));
    const { proxy, client } = await through({ throttleFraction: 1 });
    const { Table } = await client.send(new DescribeTableCommand({ TableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    const read = await client.send(
      new GetItemCommand({ TableName, Key: { pk: { S: 'read-me' }, sk: { S: 'ledger' } } }),
    );
    expect(read.Item?.pk).toEqual({ S: 'read-me' });
    expect(proxy.forwarded).toEqual({ DescribeTable: 1, GetItem: 1 });
    expect(proxy.count()).toBe(0);
  });

  it("answers a write with DynamoDB's throttling error and does not forward it", async () => {
    const { proxy, client } = await through({ throttleFraction: 1 });
    const error = await put(client, 'throttled').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1 } });
    expect(await stored('throttled')).toBeUndefined();
    expect(proxy.forwarded).toEqual({});
    expect(proxy.injected).toEqual([
      { operation: 'PutItem', fault: 'throttle', attempt: 1, invocationId: expect.any(String) },
    ]);
  });

  it('answers in the wire shape DynamoDB documents: status, __type, message and x-amzn-ErrorType', async () => {
    const { proxy } = await through({ internalErrorFraction: 1, throttleFraction: 0 });
    proxy.failNext(1);
    const answers = [];
    for (const _ of [1, 2]) {
      const response = await fetch(proxy.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.UpdateItem',
        },
        body: '{}',
      });
      answers.push({
        status: response.status,
        type: response.headers.get('x-amzn-errortype'),
        contentType: response.headers.get('content-type'),
        body: await response.json(),
      });
    }
    expect(answers).toEqual([
      {
        status: 400,
        type: 'ProvisionedThroughputExceededException',
        contentType: 'application/x-amz-json-1.0',
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: DYNAMO_FAULTS.throttle.message,
        },
      },
      {
        status: 500,
        type: 'InternalServerError',
        contentType: 'application/x-amz-json-1.0',
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: 'Internal server error',
        },
      },
    ]);
  });

  it('injects 500 InternalServerError at its own share, which the SDK sees as a server fault', async () => {
    const { client } = await through({ throttleFraction: 0, internalErrorFraction: 1 });
    const error = await put(client, 'internal').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
  });

  it('faults about one write attempt in five by default, the same ones for the same seed', async () => {
    const run = async (seed: number) => {
      const { proxy, client } = await through({ seed });
      const outcomes: string[] = [];
      for (let index = 0; index < 200; index += 1)
        outcomes.push(
          await put(client, `share-${seed}-${index % 7}`).then(
            () => 'ok',
            (error: Error) => error.name,
          ),
        );
      expect(outcomes.filter((outcome) => outcome !== 'ok')).toHaveLength(proxy.count('throttle'));
      return outcomes.map((outcome) => (outcome === 'ok' ? '.' : 'T')).join('');
    };
    const first = await run(7);
    expect(await run(7)).toBe(first);
    const throttled = [...first].filter((outcome) => outcome === 'T').length;
    expect(throttled).toBeGreaterThan(25);
    expect(throttled).toBeLessThan(55);
  });

  it("lets the SDK's retries absorb per-attempt faults, and failNext(maxAttempts) push one past them", async () => {
    const { proxy, client } = await through({ throttleFraction: 0 }, 3);
    proxy.failNext(2);
    const absorbed = await put(client, 'absorbed');
    expect(absorbed.$metadata.attempts).toBe(3);
    expect(await stored('absorbed')).toBeDefined();

    proxy.failNext(3);
    const error = await put(client, 'exhausted').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error).toMatchObject({ $metadata: { attempts: 3 } });
    expect(await stored('exhausted')).toBeUndefined();
    expect(proxy.count('throttle')).toBe(5);
  }, 20_000);

  it('keeps a sticky fault on every retry of its call, so it reaches the caller, and lets the next call through', async () => {
    const { proxy, client } = await through({ throttleFraction: 0 }, 3);
    proxy.failNext(1, { sticky: true });
    const error = await put(client, 'sticky').catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'ProvisionedThroughputExceededException',
      $metadata: { attempts: 3 },
    });
    expect(proxy.injected.map((fault) => fault.attempt)).toEqual([1, 2, 3]);
    expect(new Set(proxy.injected.map((fault) => fault.invocationId)).size).toBe(1);
    expect((await put(client, 'after-sticky')).$metadata.attempts).toBe(1);
  }, 20_000);

  it('with `sticky`, a call the shares pick fails in every attempt; without, each attempt rolls again', async () => {
    const calls = async (sticky: boolean) => {
      const { proxy, client } = await through({ throttleFraction: 0.3, sticky, seed: 3 }, 2);
      const failed: number[] = [];
      for (let index = 0; index < 20; index += 1)
        await put(client, `roll-${index}`).catch((error: { $metadata: { attempts: number } }) =>
          failed.push(error.$metadata.attempts),
        );
      return { failed, injected: proxy.injected };
    };
    const sticky = await calls(true);
    expect(sticky.failed.length).toBeGreaterThan(0);
    expect(sticky.failed.every((attempts) => attempts === 2)).toBe(true);
    expect(sticky.injected).toHaveLength(2 * sticky.failed.length);
    const rolled = await calls(false);
    // a fresh roll on the retry passes 70% of the time: fewer calls fail than in the sticky run
    expect(rolled.failed.length).toBeLessThan(sticky.failed.length);
  }, 30_000);

  it('faults reads too with faultReads', async () => {
    const { proxy, client } = await through({ throttleFraction: 1, faultReads: true });
    await expect(
      client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'x' }, sk: { S: 'ledger' } } })),
    ).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(proxy.injected.map((fault) => fault.operation)).toEqual(['GetItem']);
    proxy.configure({ throttleFraction: 0 });
    await expect(put(client, 'calm')).resolves.toBeDefined();
  });
});
