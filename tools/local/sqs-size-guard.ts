import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardServer } from './guard-listener';
import { loadLocalAwsSqs } from './local-aws-sqs';
import { type CallRate, queueNameOf, THROTTLED_ACTIONS, THROTTLED_ANSWER } from './sqs-throttle';

/**
 * SQS measures messages in UTF-8 bytes; the embedded server counts characters, so a message of CJK text three
 * times over the limit would pass locally and be refused by AWS. This thin proxy in front of it applies SQS's
 * byte limits to SendMessage and SendMessageBatch (the JSON protocol the AWS SDK speaks) with SQS's errors,
 * throttles those two actions past the queue's call quota when given one (tools/local/sqs-throttle.ts), and
 * passes every other request through unchanged.
 */
export interface EmbeddedSqsOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly accountId: string;
  /** The queues' MaximumMessageSize. */
  readonly maxMessageBytes: number;
  /** SendMessageBatch's limit on the sum of its entries (1 MiB in SQS's API reference). */
  readonly maxBatchBytes?: number;
  /** The queues' quota on send calls (tools/local/sqs-throttle.ts); none when absent. */
  readonly callRate?: CallRate;
}

interface Attribute {
  readonly DataType?: unknown;
  readonly StringValue?: unknown;
  readonly BinaryValue?: unknown;
}
interface Entry {
  readonly Id?: unknown;
  readonly MessageBody?: unknown;
  readonly MessageAttributes?: Record<string, Attribute>;
}

const bytesOf = (value: unknown): number => (typeof value === 'string' ? Buffer.byteLength(value) : 0);

/** A message's size as SQS counts it: body, and each attribute's name, type and value. */
export const sqsMessageBytes = (entry: Entry): number => {
  let size = bytesOf(entry.MessageBody);
  for (const [name, attribute] of Object.entries(entry.MessageAttributes ?? {})) {
    size += Buffer.byteLength(name) + bytesOf(attribute.DataType) + bytesOf(attribute.StringValue);
    if (typeof attribute.BinaryValue === 'string')
      size += Buffer.from(attribute.BinaryValue, 'base64').byteLength;
  }
  return size;
};

const tooLong = (max: number) =>
  `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`;

const sqsError = (response: ServerResponse, code: string, type: string, message: string) => {
  response.writeHead(400, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-query-error': `${code};Sender`,
  });
  response.end(JSON.stringify({ __type: type, message }));
};

const readBody = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** Sends the request on to the embedded server; resolves with its status, headers and body. */
const forward = (
  port: number,
  incoming: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
  new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...withoutFraming(incoming.headers), 'content-length': String(body.byteLength) },
      },
      (answer) => {
        readBody(answer).then(
          (data) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: data }),
          reject,
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });

/** Headers without the ones that describe the original framing (the body is re-sent whole). */
const withoutFraming = (headers: IncomingMessage['headers']): IncomingMessage['headers'] => {
  const {
    'transfer-encoding': _encoding,
    'content-length': _length,
    connection: _connection,
    ...rest
  } = headers;
  return rest;
};

const parse = (body: Buffer): Record<string, unknown> | undefined => {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const listen = (server: Server, port: number, host: string) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });

/**
 * The embedded SQS server behind the size guard. Queue URLs name the guard's port, so every client (and the AWS
 * SDK, which may send to a queue URL's host) goes through it; closing the guard closes the server behind.
 */
export const startEmbeddedSqs = async (options: EmbeddedSqsOptions): Promise<Server> => {
  const maxBatchBytes = options.maxBatchBytes ?? 1_048_576;
  let upstreamPort = 0;

  const handle = async (incoming: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(incoming);
    const target = String(incoming.headers['x-amz-target'] ?? '');
    const input = target.startsWith('AmazonSQS.') ? parse(body) : undefined;
    let send = body;
    let refused: { Id: unknown; Code: string; Message: string; SenderFault: boolean }[] = [];

    const action = target.slice('AmazonSQS.'.length);
    if (
      input !== undefined &&
      options.callRate !== undefined &&
      THROTTLED_ACTIONS.includes(action) &&
      !options.callRate.take(queueNameOf(input.QueueUrl), action)
    ) {
      response.writeHead(THROTTLED_ANSWER.status, THROTTLED_ANSWER.headers);
      response.end(THROTTLED_ANSWER.body);
      return;
    }

    if (input !== undefined && target === 'AmazonSQS.SendMessage') {
      if (sqsMessageBytes(input as Entry) > options.maxMessageBytes) {
        sqsError(
          response,
          'InvalidParameterValue',
          'com.amazon.coral.service#InvalidParameterValueException',
          tooLong(options.maxMessageBytes),
        );
        return;
      }
    }
    if (input !== undefined && target === 'AmazonSQS.SendMessageBatch' && Array.isArray(input.Entries)) {
      const entries = input.Entries as Entry[];
      const total = entries.reduce((sum, entry) => sum + sqsMessageBytes(entry), 0);
      if (total > maxBatchBytes) {
        sqsError(
          response,
          'AWS.SimpleQueueService.BatchRequestTooLong',
          'com.amazonaws.sqs#BatchRequestTooLong',
          `Batch requests cannot be longer than ${maxBatchBytes} bytes. You have sent ${total} bytes.`,
        );
        return;
      }
      const fitting = entries.filter((entry) => sqsMessageBytes(entry) <= options.maxMessageBytes);
      refused = entries
        .filter((entry) => !fitting.includes(entry))
        .map((entry) => ({
          Id: entry.Id,
          Code: 'InvalidParameterValue',
          Message: tooLong(options.maxMessageBytes),
          SenderFault: true,
        }));
      if (fitting.length === 0) {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ Successful: [], Failed: refused }));
        return;
      }
      if (refused.length > 0) send = Buffer.from(JSON.stringify({ ...input, Entries: fitting }));
    }

    const answer = await forward(upstreamPort, incoming, send);
    let out = answer.body;
    if (refused.length > 0 && answer.status === 200) {
      const result = parse(answer.body) ?? {};
      const failed = Array.isArray(result.Failed) ? result.Failed : [];
      out = Buffer.from(JSON.stringify({ ...result, Failed: [...failed, ...refused] }));
    }
    response.writeHead(answer.status, {
      ...withoutFraming(answer.headers),
      'content-length': String(out.byteLength),
    });
    response.end(out);
  };

  // the query protocol is a form POST a browser sends cross-site unasked: only loopback, non-browser requests
  const server = guardServer(
    createServer((incoming, response) => {
      handle(incoming, response).catch(() => {
        if (!response.headersSent) response.writeHead(502);
        response.end();
      });
    }),
  );
  const port = await listen(server, options.port, options.host);
  const { requestHandler } = loadLocalAwsSqs().createRequestHandler({
    port,
    hostname: options.host,
    accountId: options.accountId,
    emulateQueueCreationLifecycle: false,
  });
  const upstream = guardServer(createServer((incoming, response) => void requestHandler(incoming, response)));
  upstreamPort = await listen(upstream, 0, '127.0.0.1');
  server.on('close', () => {
    upstream.close();
    upstream.closeAllConnections();
  });
  return server;
};
