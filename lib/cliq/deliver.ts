import { clip } from '../util/text';
import { redactTokens } from './channel-url';
import type { CliqMessage } from './message';
import { messageIdOf } from './message-id';

export type DeliveryResult =
  | {
      readonly ok: true;
      readonly status: number;
      /** Cliq's id for the message, when it was asked for one (`sync_message`) and gave it. */
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

/**
 * A redirect is never followed: the message was not posted, and asking again will not change that, so it
 * is permanent. Only the target's host and path are named (its query may carry the zapikey).
 */
const redirected = (status: number, url: string, location: string | null): DeliveryResult => {
  let target = '';
  try {
    if (location !== null) {
      const to = new URL(location, url);
      target = ` (it points to ${clip(`${to.host}${to.pathname}`, 120)})`;
    }
  } catch {
    // an unreadable Location: say nothing about where
  }
  return {
    ok: false,
    transient: false,
    throttled: false,
    status,
    message: redactTokens(
      `Cliq answered HTTP ${status}, a redirect, and did not post: the channel URL looks outdated or wrong, check it against the channel's API endpoint${target}`,
    ),
  };
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
      // a followed 301/302 turns into a body-less GET whose 200 would pass for a delivery
      redirect: 'manual',
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
  if (response.status >= 300 && response.status < 400) {
    return redirected(response.status, url, response.headers.get('location'));
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
