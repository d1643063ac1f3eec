import type { Log } from '../../lib/log';

export type PostOutcome = 'delivered' | 'rejected' | 'retry';

export interface PostTarget {
  /** The docker route, e.g. https://…/webhooks/docker. */
  readonly url: string;
  readonly token: string;
  readonly fetch: typeof fetch;
  readonly log: Log;
}

/**
 * Posts one batch of events to Vigil with the bearer token. Vigil refusing the content itself (400, 413,
 * 415) is final and logged; anything else (unreachable, 5xx, a wrong token) is worth another try.
 */
export const postBatch = async (
  target: PostTarget,
  chunk: readonly object[],
  signal: AbortSignal,
): Promise<PostOutcome> => {
  try {
    const response = await target.fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
      body: JSON.stringify(chunk),
      signal: AbortSignal.any([AbortSignal.timeout(10_000), signal]),
    });
    const text = await response.text().catch(() => '');
    if (response.ok) return 'delivered';
    if (response.status === 400 || response.status === 413 || response.status === 415) {
      target.log.error('Vigil refused a batch: dropped', {
        status: response.status,
        detail: text.slice(0, 300),
        events: chunk.length,
      });
      return 'rejected';
    }
    // 401/403 (a wrong token) are kept too: fixing the token must not lose what happened meanwhile
    target.log.warn('Vigil did not take a batch, will retry', {
      status: response.status,
      detail: text.slice(0, 300),
    });
    return 'retry';
  } catch (error) {
    target.log.warn('could not reach Vigil, will retry', {
      error: (error as Error).cause
        ? String((error as { cause: { code?: string } }).cause.code)
        : (error as Error).message,
    });
    return 'retry';
  }
};
