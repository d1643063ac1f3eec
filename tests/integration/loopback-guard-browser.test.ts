import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { Browser, Page } from 'puppeteer-core';
import { DLQ_NAME } from '../../tools/local/sqs-server';
import type { LocalStack } from '../../tools/local/stack';
import { queueDepth } from '../../tools/sqs/queue-attributes';
import { describeInBrowser, launchChromium } from '../helpers/browser';
import { testStack } from '../helpers/local-stack';

jest.setTimeout(60_000);

/** A page on another loopback origin, as any site a developer has open would be after rebinding. */
const startOtherOrigin = async (): Promise<{ server: Server; url: string }> => {
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>another origin</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
};

/** Submits a form from the page into a frame of its own, as a cross-site form POST, and waits for the answer. */
const submitForm = async (page: Page, action: string, fields: Record<string, string>): Promise<string> => {
  const name = `frame-${Math.random().toString(36).slice(2)}`;
  const loaded = new Promise<void>((resolve) =>
    page.on('framenavigated', (frame) => {
      if (frame.name() === name) resolve();
    }),
  );
  await page.evaluate(
    (name, action, fields) => {
      const frame = document.createElement('iframe');
      frame.name = name;
      document.body.append(frame);
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = action;
      form.target = name;
      for (const [key, value] of Object.entries(fields)) {
        const input = document.createElement('input');
        input.name = key;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    },
    name,
    action,
    fields,
  );
  await loaded;
  const frame = page.frames().find((candidate) => candidate.name() === name);
  await frame?.waitForFunction(() => document.body !== null && (document.body.textContent ?? '').length > 0);
  return (await frame?.evaluate(() => (document.body.textContent ?? '').trim())) ?? '';
};

describeInBrowser('the local stack against a page from another origin', () => {
  let browser: Browser;
  let stack: LocalStack;
  let other: { server: Server; url: string };

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await testStack();
    other = await startOtherOrigin();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await new Promise((resolve) => other?.server.close(resolve));
  });

  it('cannot send, delete, scan, put or inject: the queues, the table and the feed stay as they were', async () => {
    const page = await browser.newPage();
    await page.goto(other.url);
    const origin = other.url.replace(/\/$/, '');
    const refusal = `refused: requests from web pages (Origin ${origin}) cannot reach the local stack`;
    const { dlqUrl, queueUrl, endpoint: sqs } = stack.queues;
    const webhook = `${stack.url}/webhooks/docker?token=vigil-development-token`;

    // the query protocol as a form POST, which a browser sends cross-site without asking
    expect(
      await submitForm(page, sqs, {
        Action: 'SendMessage',
        QueueUrl: queueUrl,
        MessageBody: 'forged',
        MessageGroupId: 'g',
        MessageDeduplicationId: 'forged',
      }),
    ).toBe(refusal);
    expect(await submitForm(page, sqs, { Action: 'DeleteQueue', QueueUrl: dlqUrl })).toBe(refusal);
    expect(await submitForm(page, webhook, { status: 'die' })).toBe(refusal);

    const outcomes = await page.evaluate(
      async (sqs, dynamodb, table, webhook, dlqUrl) => {
        const settle = (request: Promise<Response>) =>
          request.then(
            (response) => `answered ${response.type} ${response.status}`,
            () => 'blocked',
          );
        const dynamo = (target: string, body: unknown) =>
          settle(
            fetch(dynamodb, {
              method: 'POST',
              headers: {
                'content-type': 'application/x-amz-json-1.0',
                'x-amz-target': `DynamoDB_20120810.${target}`,
                authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request',
              },
              body: JSON.stringify(body),
            }),
          );
        return {
          scan: await dynamo('Scan', { TableName: table }),
          putItem: await dynamo('PutItem', {
            TableName: table,
            Item: { pk: { S: 'forged' }, sk: { S: 'forged' } },
          }),
          sendMessage: await settle(
            fetch(sqs, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({
                Action: 'SendMessage',
                QueueUrl: dlqUrl,
                MessageBody: 'forged',
                MessageGroupId: 'g',
                MessageDeduplicationId: 'forged-fetch',
              }),
            }),
          ),
          webhook: await settle(
            fetch(webhook, { method: 'POST', body: JSON.stringify({ status: 'die', id: 'forged' }) }),
          ),
        };
      },
      sqs,
      stack.state.endpoint,
      stack.state.tableName,
      webhook,
      dlqUrl,
    );
    // the refused preflight stops Scan and PutItem before they are sent; the refused form POSTs grant no reading
    expect(outcomes).toEqual({
      scan: 'blocked',
      putItem: 'blocked',
      sendMessage: 'blocked',
      webhook: 'blocked',
    });

    await stack.waitForIdle();
    expect(stack.previews).toEqual([]);
    expect(await queueDepth(stack.queues.client, dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect((await stack.queues.client.send(new GetQueueUrlCommand({ QueueName: DLQ_NAME }))).QueueUrl).toBe(
      dlqUrl,
    );
    expect((await stack.state.client.send(new ScanCommand({ TableName: stack.state.tableName }))).Count).toBe(
      0,
    );
  });
});
