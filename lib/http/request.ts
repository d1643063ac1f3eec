import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { wellFormed } from '../util/well-formed';

/** An inbound HTTP request as every source sees it: lower-cased headers and the exact body bytes. */
export interface WebhookRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** The raw bytes (built on first read when the body arrived as text: verifiers can use `signedBytes`). */
  readonly body: Buffer;
  /**
   * The body as the text it arrived as, when it did (not base64), is well-formed UTF-16 and does not start
   * with a byte-order mark: exactly what strict UTF-8 decoding of `body` gives (that decoding drops a BOM, as
   * RFC 8259 §8.1 lets a parser do), so parsers can skip that decode.
   */
  readonly text?: string;
}

/** Header and query values as well-formed text: a lone surrogate in one (a `\ud800` in the event's JSON) is U+FFFD. */
const lowerCaseKeys = (record: Record<string, string | undefined> | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  if (record === undefined || record === null) return out;
  for (const key in record) {
    const value = record[key];
    if (value !== undefined) out[wellFormed(key.toLowerCase())] = wellFormed(value);
  }
  return out;
};

/** The Content-Type's media type, lower case, without parameters (`application/json`). */
export const mediaType = (request: WebhookRequest): string =>
  (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';

/** Node 20's String.prototype.isWellFormed (ES2024): no lone surrogate, so UTF-8 encoding is lossless. */
const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** API Gateway (HTTP API, payload v2) may base64-encode the body: signatures are checked over the decoded bytes. */
export const fromApiGateway = (event: APIGatewayProxyEventV2): WebhookRequest => {
  const raw = event.body ?? '';
  const text = !event.isBase64Encoded && raw.charCodeAt(0) !== 0xfeff && isWellFormed(raw) ? raw : undefined;
  let body: Buffer | undefined;
  return {
    method: (event.requestContext?.http?.method ?? 'POST').toUpperCase(),
    path: event.rawPath ?? event.requestContext?.http?.path ?? '/',
    headers: lowerCaseKeys(event.headers),
    query: lowerCaseKeys(event.queryStringParameters),
    get body() {
      body ??= Buffer.from(raw, event.isBase64Encoded ? 'base64' : 'utf8');
      return body;
    },
    ...(text === undefined ? {} : { text }),
  };
};

/**
 * What a signature covers, without copying it: the text when the body arrived as well-formed text (its UTF-8
 * encoding is exactly the bytes received, and HMAC and SHA-256 encode a string as UTF-8), else the bytes.
 */
export const signedBytes = (request: WebhookRequest): string | Buffer => request.text ?? request.body;

/** The body for a parser: the text it arrived as when there is one, else its bytes (decoded strictly). */
export const bodyText = (request: WebhookRequest): string | Buffer => request.text ?? request.body;

/** The body's size in bytes, counted from the text when it arrived as text (no copy of it is made). */
export const bodyBytes = (request: WebhookRequest): number =>
  request.text === undefined ? request.body.length : Buffer.byteLength(request.text, 'utf8');
