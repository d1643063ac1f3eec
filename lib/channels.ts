import { type ChannelTarget, parseChannelUrl } from './cliq/channel-url';
import { err, ok, type Result } from './result';
import type { Secrets } from './secrets';

export const DEFAULT_CHANNEL = 'default';
export const DEFAULT_CHANNEL_KEY = 'ZOHO_CLIQ_WEBHOOK_URL';
export const CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Where a channel's URL is kept: the default channel in ZOHO_CLIQ_WEBHOOK_URL, channel `ops` in CLIQ_URL_OPS. */
export const channelKey = (channel: string): string =>
  channel === DEFAULT_CHANNEL ? DEFAULT_CHANNEL_KEY : `CLIQ_URL_${channel.toUpperCase().replace(/-/g, '_')}`;

/** A channel resolves to a Cliq URL, or, in local preview mode only, to the console. */
export type ChannelResolution =
  | { readonly kind: 'cliq'; readonly target: ChannelTarget }
  | { readonly kind: 'preview'; readonly owner: 'preview' };

const parsed = new Map<string, ReturnType<typeof parseChannelUrl>>();

/** Channel URLs change only with the secret: parse each distinct value once. */
const parseCached = (raw: string, key: string): ReturnType<typeof parseChannelUrl> => {
  const cacheKey = `${key}\n${raw}`;
  let result = parsed.get(cacheKey);
  if (result === undefined) {
    if (parsed.size > 100) parsed.clear();
    result = parseChannelUrl(raw, key);
    parsed.set(cacheKey, result);
  }
  return result;
};

export const resolveChannel = (
  channel: string,
  secrets: Secrets,
  options: { readonly previewWhenUnset: boolean },
): Result<ChannelResolution, string> => {
  const key = channelKey(channel);
  const raw = secrets[key];
  if (raw === undefined) {
    return options.previewWhenUnset
      ? ok({ kind: 'preview', owner: 'preview' })
      : err(`${key} is not configured: set it to the Cliq channel's API endpoint URL in the Vigil secret`);
  }
  const result = parseCached(raw, key);
  return result.ok ? ok({ kind: 'cliq', target: result.value }) : err(result.error);
};

/** Whether a secret key holds a channel's Cliq URL: ZOHO_CLIQ_WEBHOOK_URL, or CLIQ_URL_<NAME>. */
export const isChannelKey = (key: string): boolean =>
  key === DEFAULT_CHANNEL_KEY || /^CLIQ_URL_[A-Z0-9_]+$/.test(key);

/**
 * What is wrong with each channel URL set, one line per variable that names it and never the URL (it holds
 * the zapikey). The local stack refuses to start on any, instead of accepting webhooks it cannot deliver.
 */
export const channelUrlProblems = (secrets: Readonly<Record<string, string | undefined>>): string[] =>
  Object.entries(secrets)
    .flatMap(([key, raw]) =>
      isChannelKey(key) && raw !== undefined && raw.trim() !== '' ? [[key, raw]] : [],
    )
    .map(([key, raw]) => parseChannelUrl(raw as string, key as string))
    .flatMap((result) => (result.ok ? [] : [result.error]));
