import * as v from 'valibot';
import { err, ok, type Result } from '../../../result';
import type { GithubHook } from '../../../routing/schema';
import { Deliveries, type Delivery, deliveredAt } from './delivery';

/**
 * Why GitHub's API did not do what was asked, as its REST documentation describes the answers: 401 for a
 * missing or bad token; 403 for a token without the permission; 404 for a hook that does not exist or that
 * the token cannot see; a rate limit as 429, or as 403 with `x-ratelimit-remaining: 0` or `retry-after`
 * ("Rate limits for the REST API": primary and secondary limits).
 */
export type ApiFailure =
  | { readonly kind: 'unauthorized'; readonly message: string }
  | { readonly kind: 'forbidden'; readonly message: string }
  | { readonly kind: 'not_found'; readonly message: string }
  | { readonly kind: 'rate_limited'; readonly message: string; readonly retryAfter?: string }
  | { readonly kind: 'failed'; readonly status: number; readonly message: string };

export interface HooksApi {
  /** The hook's deliveries GitHub made at or after `since`, newest first, following every page. */
  deliveriesSince(hook: GithubHook, since: number): Promise<Result<Delivery[], ApiFailure>>;
  /** Asks GitHub to send a delivery again (it answers 202 and sends it soon after). */
  redeliver(hook: GithubHook, deliveryId: number): Promise<Result<void, ApiFailure>>;
}

export interface HooksApiOptions {
  /** `https://api.github.com`, or a GitHub Enterprise Server's `https://HOST/api/v3`, without a trailing slash. */
  readonly baseUrl: string;
  readonly token: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  /** At most this many pages of 100 per hook and run, so a run stays bounded on a very busy hook. */
  readonly maxPages?: number;
}

/** `repos/acme/api/hooks/456` or `orgs/acme/hooks/123`. */
export const hookPath = (hook: GithubHook): string =>
  hook.repo !== undefined
    ? `repos/${hook.repo.split('/').map(encodeURIComponent).join('/')}/hooks/${hook.id}`
    : `orgs/${encodeURIComponent(hook.org ?? '')}/hooks/${hook.id}`;

/** How a hook is named in logs: `repo acme/api hook 456`, `org acme hook 123`. */
export const hookName = (hook: GithubHook): string =>
  hook.repo !== undefined ? `repo ${hook.repo} hook ${hook.id}` : `org ${hook.org} hook ${hook.id}`;

/** The `rel="next"` target of a Link header (RFC 8288), as GitHub paginates with a cursor. */
export const nextLink = (header: string | null): string | undefined => {
  for (const part of (header ?? '').split(',')) {
    const [target, ...params] = part.split(';');
    const url = target?.trim().match(/^<([^>]*)>$/)?.[1];
    const rels = params
      .map((param) => param.trim().match(/^rel\s*=\s*"?([^"]*)"?$/i)?.[1])
      .find((value) => value !== undefined);
    if (url !== undefined && rels?.split(/\s+/).includes('next')) return url;
  }
  return undefined;
};

const messageOf = async (response: Response): Promise<string> => {
  const text = await response.text().catch(() => '');
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === 'string') return message.slice(0, 300);
  } catch {
    // not JSON: the status says enough
  }
  return `${response.status} ${response.statusText}`.trim();
};

const failureOf = async (response: Response): Promise<ApiFailure> => {
  const message = await messageOf(response);
  const retryAfter = response.headers.get('retry-after') ?? undefined;
  const limited =
    response.status === 429 ||
    (response.status === 403 &&
      (response.headers.get('x-ratelimit-remaining') === '0' ||
        retryAfter !== undefined ||
        /rate limit/i.test(message)));
  if (limited) {
    const reset = response.headers.get('x-ratelimit-reset');
    const at = reset === null ? retryAfter : new Date(Number(reset) * 1000).toISOString();
    return { kind: 'rate_limited', message, ...(at === undefined ? {} : { retryAfter: at }) };
  }
  if (response.status === 401) return { kind: 'unauthorized', message };
  if (response.status === 403) return { kind: 'forbidden', message };
  if (response.status === 404) return { kind: 'not_found', message };
  return { kind: 'failed', status: response.status, message };
};

/**
 * GitHub's webhook deliveries API over `fetch`: the repository and organization endpoints, `per_page=100`
 * and the Link header's cursor ("Using pagination in the REST API"). The token goes only to `baseUrl`'s
 * origin: a next link elsewhere is not followed. Errors carry GitHub's message, never the token.
 */
export const hooksApi = (options: HooksApiOptions): HooksApi => {
  const send = options.fetch ?? fetch;
  const origin = new URL(options.baseUrl).origin;
  const maxPages = options.maxPages ?? 30;
  const request = async (url: string, method: 'GET' | 'POST'): Promise<Response | ApiFailure> => {
    try {
      return await send(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${options.token}`,
          'user-agent': 'vigil-redeliver',
          'x-github-api-version': '2022-11-28',
        },
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      return {
        kind: 'failed',
        status: 0,
        message: `GitHub's API did not answer: ${(error as Error).message}`,
      };
    }
  };

  return {
    async deliveriesSince(hook, since) {
      const found: Delivery[] = [];
      let url: string | undefined = `${options.baseUrl}/${hookPath(hook)}/deliveries?per_page=100`;
      for (let page = 0; url !== undefined && page < maxPages; page += 1) {
        const response = await request(url, 'GET');
        if (!(response instanceof Response)) return err(response);
        if (!response.ok) return err(await failureOf(response));
        const parsed = v.safeParse(Deliveries, await response.json().catch(() => undefined));
        if (!parsed.success)
          return err({
            kind: 'failed',
            status: response.status,
            message: 'the deliveries list is not as documented',
          });
        const recent = parsed.output.filter((delivery) => deliveredAt(delivery) >= since);
        found.push(...recent);
        // newest first: a page that reaches past `since` is the last one needed
        if (recent.length < parsed.output.length || parsed.output.length === 0) break;
        const next = nextLink(response.headers.get('link'));
        url =
          next !== undefined && new URL(next, url).origin === origin ? new URL(next, url).href : undefined;
      }
      return ok(found);
    },

    async redeliver(hook, deliveryId) {
      const response = await request(
        `${options.baseUrl}/${hookPath(hook)}/deliveries/${deliveryId}/attempts`,
        'POST',
      );
      if (!(response instanceof Response)) return err(response);
      if (!response.ok) return err(await failureOf(response));
      await response.body?.cancel();
      return ok(undefined);
    },
  };
};
