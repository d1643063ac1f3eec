import { clip } from '../util/text';
import { redactTokens } from './channel-url';
import type { CliqMessage } from './message';

export type DeliveryResult =
  | {
      readonly ok: true;
      readonly status: number;
      /** Cliq's id of the message, when it answered 200 `{"message_id"}` (a `sync_message` post). */
      readonly messageId?: string;
    }
  | {
      readonly ok: false;
      /** true: try again later (5xx, timeouts, connection errors, 429, request_limit_exceeded). */
      readonly transient: boolean;
      /** true: Cliq's rate-limit lock (429 or request_limit_exceeded). */
      readonly throttled: boolean;
      readonly status?: number;
      readonly code?: string;
      readonly message: string;
      readonly retryAfterSeconds?: number;
    };

export type Fetch = typeof fetch;

const parseError = (text: string): { code?: string; message?: string } => {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === 'object' && body !== null) {
      const { code, message } = body as Record<string, unknown>;
      return {
        ...(typeof code === 'string' ? { code } : {}),
        ...(typeof message === 'string' ? { message } : {}),
      };
    }
  } catch {
    // not JSON: keep the raw text as the message
  }
  return text.trim() === '' ? {} : { message: text };
};

const retryAfter = (header: string | null): number | undefined => {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined;
};

/** `{"message_id": "1599044334698_117280617320"}`, kept as an opaque, bounded string. */
const messageIdOf = (text: string): string | undefined => {
  if (text.trim() === '') return undefined;
  try {
    const body = JSON.parse(text) as unknown;
    const id =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>).message_id : undefined;
    const value = typeof id === 'number' ? String(id) : id;
    return typeof value === 'string' && /^[\w.:-]{1,100}$/.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
};

/** Posts one message and classifies the answer. Never throws; never puts the URL in its result. */
export const postToCliq = async (
  fetchFn: Fetch,
  url: string,
  body: CliqMessage,
  timeoutMs: number,
): Promise<DeliveryResult> => {
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    const error = cause as { name?: string; cause?: { code?: string } };
    const reason =
      error.name === 'TimeoutError' || error.name === 'AbortError'
        ? `Cliq did not answer within ${timeoutMs} ms`
        : `could not reach Cliq (${error.cause?.code ?? error.name ?? 'network error'})`;
    return { ok: false, transient: true, throttled: false, message: reason };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) {
    const messageId = messageIdOf(text);
    return { ok: true, status: response.status, ...(messageId === undefined ? {} : { messageId }) };
  }

  const { code, message } = parseError(text);
  const status = response.status;
  const throttled = status === 429 || code === 'request_limit_exceeded';
  const wait = retryAfter(response.headers.get('retry-after'));
  return {
    ok: false,
    transient: throttled || status >= 500 || status === 408,
    throttled,
    status,
    ...(code === undefined ? {} : { code: clip(code, 100) }),
    message: redactTokens(clip(message ?? `Cliq answered HTTP ${status}`, 300)),
    ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
  };
};
