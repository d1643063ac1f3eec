import { err, ok, type Result } from '../../lib/result';
import type { SourceRequest } from './request';

type Env = Readonly<Record<string, string | undefined>>;

/** Where a request goes: the local stack (`npm start`) unless `--to` names another URL. */
export interface Target {
  readonly url: URL;
  /** The local stack's default address, so "nothing answers" can say to start it. */
  readonly local: boolean;
}

/** The source `--to`'s path names (`…/webhooks/gitlab` → `gitlab`), if it names one. */
export const routeSourceOf = (url: URL): string | undefined =>
  /^\/webhooks\/([^/]+)\/?$/.exec(url.pathname)?.[1];

/**
 * `--to` (a base URL, or a source's route on it), else the local stack on 127.0.0.1 and PORT (default 3000),
 * which is where `npm start` listens. The refusals never repeat the URL: it may carry a token.
 */
export const targetOf = (to: string | undefined, env: Env): Result<Target, string> => {
  if (to === undefined) {
    const port = env.PORT ?? '3000';
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
      return err(
        `PORT must be the local stack's port, a number from 1 to 65535 (it is ${JSON.stringify(port)})`,
      );
    }
    return ok({ url: new URL(`http://127.0.0.1:${Number(port)}`), local: true });
  }
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    return err('--to is not a URL: give one such as http://127.0.0.1:3000 or https://<api>/webhooks/github');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return err('--to must be an http:// or https:// URL');
  return ok({ url, local: false });
};

/** The URL the request is posted to: the target's own path if it has one, else the source's route. */
export const requestUrl = (target: Target, request: SourceRequest): URL => {
  const url = new URL(target.url);
  if (url.pathname === '/' || url.pathname === '') url.pathname = request.route;
  for (const [key, value] of Object.entries(request.query)) url.searchParams.set(key, value);
  return url;
};

/** The URL as it may be printed: its query's values (a URL token) hidden. */
export const shownUrl = (url: URL): string => {
  const keys = [...url.searchParams.keys()];
  return `${url.origin}${url.pathname}${keys.length === 0 ? '' : `?${keys.map((key) => `${key}=…`).join('&')}`}`;
};

export interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly body: string;
}

/** Why nothing answered, in one line (the cause's code, never the URL's query). */
const unreachable = (target: Target, url: URL, error: unknown, timeoutMs: number): string => {
  const cause = (error as { cause?: { code?: string } }).cause;
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return `${url.origin} did not answer within ${timeoutMs / 1000} s`;
  const code = cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH') {
    return `nothing answers on ${url.origin}${target.local ? ' — start it with npm start' : ''}`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${url.hostname} does not resolve: check --to`;
  return `could not reach ${url.origin}: ${code ?? (error as Error).message}`;
};

/** Posts the request and reads the answer; a connection that fails is a one-line reason, not a throw. */
export const postRequest = async (
  target: Target,
  request: SourceRequest,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 30_000,
): Promise<Result<Answer, string>> => {
  const url = requestUrl(target, request);
  try {
    const response = await fetchImpl(url, {
      method: request.method,
      headers: request.headers,
      body: new Uint8Array(request.body),
      // a redirect would carry the signature or token elsewhere
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return ok({ status: response.status, statusText: response.statusText, body: await response.text() });
  } catch (error) {
    return err(unreachable(target, url, error, timeoutMs));
  }
};
