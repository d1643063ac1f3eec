import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** An inbound HTTP request as every source sees it: lower-cased headers and the exact body bytes. */
export interface WebhookRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

const lowerCaseKeys = (record: Record<string, string | undefined> | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    if (value !== undefined) out[key.toLowerCase()] = value;
  }
  return out;
};

/** API Gateway (HTTP API, payload v2) may base64-encode the body: signatures are checked over the decoded bytes. */
export const fromApiGateway = (event: APIGatewayProxyEventV2): WebhookRequest => ({
  method: (event.requestContext?.http?.method ?? 'POST').toUpperCase(),
  path: event.rawPath ?? event.requestContext?.http?.path ?? '/',
  headers: lowerCaseKeys(event.headers),
  query: lowerCaseKeys(event.queryStringParameters),
  body: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8'),
});
