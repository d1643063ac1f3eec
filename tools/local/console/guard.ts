import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { json } from '../../../lib/http/response';
import type { RouteHandler } from '../http-server';
import { hostName, isLoopbackName } from '../loopback-guard';

/** The Host header names this machine: a page from another site that rebinds its name here is refused. */
export const isLoopbackHost = (host: string | undefined): boolean =>
  host !== undefined && isLoopbackName(hostName(host));

type Headers = Readonly<Record<string, string | undefined>>;

/**
 * Why a request to the console is refused, or undefined when it may go on. Every console request must come
 * to a loopback host name; a state-changing one must be a same-origin POST of JSON: a browser says where a
 * request comes from in `Sec-Fetch-Site` and `Origin`, and a cross-site page cannot send JSON without a
 * preflight the console never answers.
 */
export const refusal = (
  headers: Headers,
  method: string,
  change: boolean,
): APIGatewayProxyStructuredResultV2 | undefined => {
  const host = headers.host;
  if (!isLoopbackHost(host))
    return json(403, { error: 'forbidden', message: 'the console answers on 127.0.0.1 or localhost only' });
  if (!change)
    return method === 'GET' ? undefined : json(405, { error: 'method_not_allowed', message: 'send GET' });
  if (method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'send POST' });
  const site = headers['sec-fetch-site'];
  const origin = headers.origin;
  if ((site !== undefined && site !== 'same-origin') || (origin !== undefined && origin !== `http://${host}`))
    return json(403, { error: 'cross_origin', message: 'the console takes changes from its own pages only' });
  if (!(headers['content-type'] ?? '').toLowerCase().startsWith('application/json'))
    return json(415, { error: 'unsupported_media_type', message: 'send Content-Type: application/json' });
  return undefined;
};

const refusalOf = (event: APIGatewayProxyEventV2, change: boolean) =>
  refusal(event.headers, event.requestContext.http.method, change);

/** A console route: loopback host names only; `change` routes take same-origin JSON POSTs only. */
export const guarded =
  (change: boolean, handler: RouteHandler): RouteHandler =>
  async (event) =>
    refusalOf(event, change) ?? handler(event);
