import { err, ok, type Result } from '../../lib/result';

/**
 * What `npm run send` was given: an `events/` sample (the API Gateway v2 event `serverless invoke local`
 * takes, whose body is the payload) or a plain payload, as the source would post it.
 */
export type SendInput =
  | {
      readonly kind: 'sample';
      /** The exact bytes of the sample's body (base64 decoded when the sample says so). */
      readonly body: Buffer;
      /** Its headers, lower case. */
      readonly headers: Readonly<Record<string, string>>;
      readonly query: Readonly<Record<string, string>>;
      /** The last segment of its route (`/webhooks/github` → `github`), if it names one. */
      readonly routeName?: string;
      readonly method?: string;
    }
  | { readonly kind: 'payload'; readonly body: Buffer; readonly payload: unknown };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const strings = (value: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [key, item] of Object.entries(value))
    if (typeof item === 'string') out[key.toLowerCase()] = item;
  return out;
};

/** API Gateway v2's event: a string body beside its headers and its route or request context. */
const isApiGatewayEvent = (value: Record<string, unknown>): boolean =>
  typeof value.body === 'string' &&
  isRecord(value.headers) &&
  (typeof value.rawPath === 'string' || typeof value.routeKey === 'string' || isRecord(value.requestContext));

const routeName = (event: Record<string, unknown>): string | undefined => {
  const http =
    isRecord(event.requestContext) && isRecord(event.requestContext.http) ? event.requestContext.http : {};
  const path = [
    event.rawPath,
    http.path,
    String(event.routeKey ?? '')
      .split(' ')
      .pop(),
  ].find(
    (candidate): candidate is string => typeof candidate === 'string' && candidate.startsWith('/webhooks/'),
  );
  return path?.slice('/webhooks/'.length).split('/')[0] || undefined;
};

/** Reads the file's text as a sample or a payload; `file` names it in the one-line reason it is refused. */
export const readSendInput = (file: string, bytes: Buffer): Result<SendInput, string> => {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    return err(
      `${file} is not JSON (${(cause as Error).message}): send a webhook payload or an events/ sample`,
    );
  }
  if (isRecord(value) && Array.isArray(value.Records)) {
    return err(
      `${file} is an SQS batch for the sender, not a webhook: run it with npx serverless invoke local -f sender --path ${file}`,
    );
  }
  if (!isRecord(value) || !isApiGatewayEvent(value))
    return ok({ kind: 'payload', body: bytes, payload: value });
  const body = Buffer.from(value.body as string, value.isBase64Encoded === true ? 'base64' : 'utf8');
  const http =
    isRecord(value.requestContext) && isRecord(value.requestContext.http) ? value.requestContext.http : {};
  const name = routeName(value);
  return ok({
    kind: 'sample',
    body,
    headers: strings(value.headers),
    query: strings(value.queryStringParameters),
    ...(name === undefined ? {} : { routeName: name }),
    ...(typeof http.method === 'string' ? { method: http.method.toUpperCase() } : {}),
  });
};
