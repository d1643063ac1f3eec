import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Source } from '../../lib/event/model';
import { SOURCES } from '../../lib/sources/registry';

export const DEV_SECRET = 'vigil-development-secret';

/** How each source proves a request is genuine, with the development secrets unless given another. */
export const authenticate = (
  source: Source | 'sentry-legacy',
  body: Buffer,
  secret?: string,
): { headers: Record<string, string>; query: Record<string, string> } =>
  source === 'sentry-legacy'
    ? (SOURCES.sentry.samples.queryCredentials?.(secret) ?? { headers: {}, query: {} })
    : SOURCES[source].samples.credentials(body, secret);

/** The headers a source always sends besides authentication. */
export const defaultHeaders = (source: Source | 'sentry-legacy'): Record<string, string> =>
  source === 'sentry-legacy' ? {} : { ...SOURCES[source].samples.defaultHeaders };

export interface RequestOptions {
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly method?: string;
  readonly base64?: boolean;
  /** Sign or authenticate with this secret instead of the development one. */
  readonly secret?: string;
  readonly unauthenticated?: boolean;
}

/** An API Gateway v2 event for a source's route, authenticated as that source would be unless told otherwise. */
export const sourceEvent = (
  source: Source | 'sentry-legacy',
  body: string | Buffer,
  options: RequestOptions = {},
): APIGatewayProxyEventV2 => {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const auth = options.unauthenticated
    ? { headers: {}, query: {} }
    : authenticate(source, bytes, options.secret);
  const route = source === 'sentry-legacy' ? 'sentry' : source;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...defaultHeaders(source),
    ...auth.headers,
    ...lowerKeys(options.headers ?? {}),
  };
  for (const [key, value] of Object.entries(headers)) if (value === '') delete headers[key];
  const query = { ...auth.query, ...(options.query ?? {}) };
  return {
    version: '2.0',
    routeKey: `ANY /webhooks/${route}`,
    rawPath: `/webhooks/${route}`,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    queryStringParameters: query,
    body: options.base64 ? bytes.toString('base64') : bytes.toString('utf8'),
    isBase64Encoded: options.base64 ?? false,
    requestContext: {
      http: { method: options.method ?? 'POST', path: `/webhooks/${route}` },
    } as APIGatewayProxyEventV2['requestContext'],
  };
};

const lowerKeys = (record: Record<string, string>) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));

/** Sends an authenticated request to a running stack. */
export const postSource = (
  baseUrl: string,
  source: Source | 'sentry-legacy',
  body: string | Buffer,
  options: RequestOptions = {},
) => {
  const event = sourceEvent(source, body, options);
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return fetch(`${baseUrl}${event.rawPath}${query}`, {
    method: options.method ?? 'POST',
    headers: event.headers as Record<string, string>,
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
};
