import { request } from 'node:http';
import { ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DLQ_NAME } from '../../tools/local/sqs-server';
import type { LocalStack } from '../../tools/local/stack';
import { queueDepth } from '../../tools/sqs/queue-attributes';
import { testStack } from '../helpers/local-stack';
import { postSample } from '../helpers/samples';

jest.setTimeout(30_000);

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request as node sends it, with whatever Host, Origin and Sec-Fetch-Site a test puts in. */
const send = (
  base: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const url = new URL(options.path ?? '/', base);
    const outgoing = request(
      url,
      { method: options.method ?? 'POST', headers: options.headers ?? {} },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () =>
          resolve({
            status: answer.statusCode ?? 0,
            headers: answer.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body ?? '');
  });

const grants = (answer: Answer) =>
  Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));

describe('the local stack against web pages', () => {
  let stack: LocalStack;
  let listeners: Record<
    'http' | 'sqs' | 'dynamodb',
    { base: string; path: string; headers: Record<string, string>; body: string }
  >;

  beforeAll(async () => {
    stack = await testStack();
    listeners = {
      http: {
        base: stack.url,
        path: '/webhooks/docker?token=vigil-development-token',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ id: 'forged', status: 'die', Type: 'container', Action: 'die', time: 1 }),
      },
      sqs: {
        base: stack.queues.endpoint,
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          Action: 'SendMessage',
          QueueUrl: stack.queues.dlqUrl,
          MessageBody: 'forged',
          MessageGroupId: 'g',
          MessageDeduplicationId: 'forged',
        }).toString(),
      },
      dynamodb: {
        base: stack.state.endpoint,
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Scan' },
        body: JSON.stringify({ TableName: stack.state.tableName }),
      },
    };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const names = ['http', 'sqs', 'dynamodb'] as const;

  it.each(names)('%s refuses a page that rebinds its name to 127.0.0.1, naming the Host', async (name) => {
    const { headers, ...rest } = listeners[name];
    const answer = await send(rest.base, { ...rest, headers: { ...headers, host: 'rebind.evil.example' } });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/^refused: .*Host rebind\.evil\.example\n$/);
  });

  it.each(names)('%s refuses a request from another site by its Origin', async (name) => {
    const { headers, ...rest } = listeners[name];
    const answer = await send(rest.base, {
      ...rest,
      headers: { ...headers, origin: 'https://evil.example' },
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toBe(
      'refused: requests from web pages (Origin https://evil.example) cannot reach the local stack\n',
    );
    expect(grants(answer)).toEqual([]);
  });

  it.each(names)('%s refuses a request a browser marks Sec-Fetch-Site cross-site', async (name) => {
    const { headers, ...rest } = listeners[name];
    const answer = await send(rest.base, {
      ...rest,
      headers: { ...headers, 'sec-fetch-site': 'cross-site' },
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('Sec-Fetch-Site cross-site');
  });

  it.each(names)('%s answers no CORS preflight and grants no access', async (name) => {
    const { base, path } = listeners[name];
    const answer = await send(base, {
      method: 'OPTIONS',
      path,
      headers: {
        origin: 'http://127.0.0.1:1',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-amz-target,content-type',
      },
    });
    expect(answer.status).toBe(403);
    expect(grants(answer)).toEqual([]);
  });

  it('changed nothing: the DLQ still exists and holds nothing, the table no forged item, the feed no card', async () => {
    const deleteDlq = await send(stack.queues.endpoint, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ Action: 'DeleteQueue', QueueUrl: stack.queues.dlqUrl }).toString(),
    });
    expect(deleteDlq.status).toBe(403);
    const putItem = await send(stack.state.endpoint, {
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.PutItem',
        origin: 'https://evil.example',
      },
      body: JSON.stringify({
        TableName: stack.state.tableName,
        Item: { pk: { S: 'forged' }, sk: { S: 'forged' } },
      }),
    });
    expect(putItem.status).toBe(403);
    const scan = await stack.state.client.send(new ScanCommand({ TableName: stack.state.tableName }));
    expect(scan.Count).toBe(0);
    await stack.waitForIdle();
    expect(await queueDepth(stack.queues.client, stack.queues.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect((await stack.queues.client.send(new GetQueueUrlCommand({ QueueName: DLQ_NAME }))).QueueUrl).toBe(
      stack.queues.dlqUrl,
    );
    expect(stack.previews).toEqual([]);
  });

  it('dynalite grants no CORS access even to its own origin', async () => {
    const { base, path, headers, body } = listeners.dynamodb;
    const answer = await send(base, { path, body, headers: { ...headers, origin: base } });
    expect(answer.headers['x-amzn-requestid']).toBeDefined();
    expect(grants(answer)).toEqual([]);
  });

  it('still answers the AWS SDK on SQS and DynamoDB', async () => {
    const { client, dlqUrl } = stack.queues;
    await client.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: 'sdk',
        MessageGroupId: 'g',
        MessageDeduplicationId: 'sdk',
      }),
    );
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }));
    expect(received.Messages?.map((message) => message.Body)).toEqual(['sdk']);
    const tables = await stack.state.client.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain(stack.state.tableName);
    await expect(
      stack.state.client.send(new ScanCommand({ TableName: stack.state.tableName })),
    ).resolves.toBeDefined();
  });

  it('still takes a signed webhook sample that carries no Origin, from curl or the sender itself', async () => {
    expect((await postSample(stack.url, 'docker/container-events')).status).toBe(202);
    const curlLike = await send(stack.url, {
      method: 'GET',
      path: '/health',
      headers: { 'user-agent': 'curl/8.5.0' },
    });
    expect(curlLike.status).toBe(200);
  });
});
