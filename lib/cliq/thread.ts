import type { DeliveryResult } from './deliver';

/**
 * Cliq's thread call (specs/zoho-cliq.md, Threads): POST `/api/v3/channelsbyname/<CHANNEL>/messages` on the
 * channel URL's host, with the same query (`zapikey`, `bot_unique_name`).
 */
export const threadPostUrl = (channelPostUrl: string): string => {
  const url = new URL(channelPostUrl);
  url.pathname = url.pathname.replace(
    /\/api\/v2\/channelsbyname\/([^/]+)\/message\/?$/,
    '/api/v3/channelsbyname/$1/messages',
  );
  return url.toString();
};

/** A thread call refused for good (a 4xx that is not throttling): the channel's reply mode forbids threads. */
export const threadsForbidden = (result: DeliveryResult): boolean =>
  !result.ok &&
  !result.transient &&
  !result.throttled &&
  result.status !== undefined &&
  result.status >= 400 &&
  result.status < 500;
