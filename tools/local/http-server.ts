import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MethodNotAllowedError, NotFoundError, PayloadTooLargeError } from '../../lib/http/errors';
import { toErrorResponse } from '../../lib/http/response';
import { TOO_MANY_REQUESTS } from './gateway-throttle';
import { guardServer } from './guard-listener';
import type { TokenBucket } from './token-bucket';

export type RouteHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export type Route = {
  readonly path: string;
  /** Methods API Gateway routes to the handler; `ANY` lets the handler answer 405 itself. */
  readonly method: 'ANY' | 'GET';
} & (
  | {
      readonly handler: RouteHandler;
      /** API Gateway's throttle in front of the route: past it, 429 before the handler runs. */
      readonly throttle?: TokenBucket;
    }
  /** A response written as it goes (a stream of Server-Sent Events): local tools only. */
  | { readonly stream: (request: IncomingMessage, response: ServerResponse) => void }
);

const readBody = (request: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(size > limit ? 'too_large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });

/** The request as API Gateway (HTTP API, payload 2.0) hands it to Lambda; the body is base64, byte-exact. */
const toApiGatewayEvent = (request: IncomingMessage, url: URL, body: Buffer): APIGatewayProxyEventV2 => {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const method = request.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: `${method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters: Object.fromEntries(url.searchParams),
    body: body.toString('base64'),
    isBase64Encoded: true,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: `local-${Date.now()}`,
      routeKey: `${method} ${url.pathname}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
};

const send = (response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void => {
  response.writeHead(result.statusCode ?? 200, {
    'content-type': 'application/json',
    ...(result.headers as Record<string, string>),
  });
  response.end(result.body ?? '');
};

/** An HTTP server standing in for API Gateway: the same routes, the same event shape, loopback only. */
export const startHttpServer = async (options: {
  readonly routes: readonly Route[];
  readonly port: number;
  readonly host: string;
  readonly maxBodyBytes: number;
}): Promise<{ server: Server; url: string }> => {
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
      const route = options.routes.find((candidate) => candidate.path === url.pathname);
      if (route === undefined) {
        request.resume();
        return send(
          response,
          toErrorResponse(new NotFoundError(`no route ${url.pathname}: webhooks go to /webhooks/<source>`)),
        );
      }
      if (route.method !== 'ANY' && request.method !== route.method) {
        request.resume();
        return send(
          response,
          toErrorResponse(
            new MethodNotAllowedError(`${request.method} is not accepted here: send ${route.method}`),
          ),
        );
      }
      if ('stream' in route) return route.stream(request, response);
      if (route.throttle !== undefined && !route.throttle.take()) {
        request.resume();
        return send(response, TOO_MANY_REQUESTS);
      }
      const declared = Number(request.headers['content-length'] ?? '0');
      const body =
        declared > options.maxBodyBytes ? 'too_large' : await readBody(request, options.maxBodyBytes);
      if (body === 'too_large') {
        response.setHeader('connection', 'close');
        request.resume();
        return send(
          response,
          toErrorResponse(
            new PayloadTooLargeError(
              `body is over the limit of ${options.maxBodyBytes} bytes (MAX_BODY_BYTES)`,
            ),
          ),
        );
      }
      send(response, await route.handler(toApiGatewayEvent(request, url, body)));
    } catch (error) {
      send(response, toErrorResponse(error));
    }
  });
  guardServer(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${options.host}:${port}` };
};
