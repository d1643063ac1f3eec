import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { checkLoopbackRequest } from './loopback-guard';

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const isCorsGrant = (name: string) => name.toLowerCase().startsWith('access-control-allow-');

type Headers = OutgoingHttpHeaders | readonly unknown[];

/** The headers of a writeHead call without any Access-Control-Allow-* grant. */
const withoutGrants = (headers: Headers): Headers => {
  if (!Array.isArray(headers))
    return Object.fromEntries(
      Object.entries(headers).filter(([name]) => !isCorsGrant(name)),
    ) as OutgoingHttpHeaders;
  if (headers.every(Array.isArray))
    return headers.filter((pair) => !isCorsGrant(String((pair as unknown[])[0])));
  const flat: unknown[] = [];
  for (let index = 0; index + 1 < headers.length; index += 2)
    if (!isCorsGrant(String(headers[index]))) flat.push(headers[index], headers[index + 1]);
  return flat;
};

/** A response that never grants a browser CORS access, whatever the server behind it sets. */
const stripCorsGrants = (response: ServerResponse): void => {
  const setHeader = response.setHeader.bind(response);
  response.setHeader = (name, value) => (isCorsGrant(name) ? response : setHeader(name, value));
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
  response.writeHead = ((...args: unknown[]) =>
    writeHead(
      ...args.map((arg, index) =>
        index > 0 && typeof arg === 'object' && arg !== null ? withoutGrants(arg as Headers) : arg,
      ),
    )) as ServerResponse['writeHead'];
};

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Puts the loopback guard in front of every request listener of `server` (one of ours, dynalite's or the
 * embedded SQS server's): a refused request gets its status and one line saying why, and no response grants
 * CORS access. Call it once the server has its request listeners.
 */
export const guardServer = <S extends Server>(server: S): S => {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const verdict = checkLoopbackRequest({
      method: request.method ?? 'GET',
      host: header(request, 'host'),
      origin: header(request, 'origin'),
      secFetchSite: header(request, 'sec-fetch-site'),
      port: request.socket.localPort ?? 0,
    });
    if (!verdict.ok) {
      request.resume();
      response.writeHead(verdict.status, {
        'content-type': 'text/plain; charset=utf-8',
        connection: 'close',
      });
      response.end(`${verdict.reason}\n`);
      return;
    }
    stripCorsGrants(response);
    for (const listener of listeners) listener(request, response);
  });
  return server;
};
