import { err, ok, type Result } from '../result';
import { sha256Hex } from '../util/hash';

export interface ChannelTarget {
  /** The full URL with its zapikey: a secret, never logged or returned. */
  readonly url: string;
  /** Stable, non-secret id of the Cliq user whose rate budget the URL spends (a hash of its token). */
  readonly owner: string;
  /** What may be logged about it: host and path, no query. */
  readonly display: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export const ownerOf = (token: string): string => `cliq-${sha256Hex(token).slice(0, 32)}`;

/**
 * The Cliq channel a post URL points at, without its key: a short hash of its host and path (a token
 * rotation keeps it; pointing the URL at another channel or another Zoho data centre changes it).
 * Conversations keep it next to their parent message, whose thread only that channel has.
 */
export const channelIdentity = (url: string): string => {
  const { origin, pathname } = new URL(url);
  // `/message/` and `/message` are one channel (parseChannelUrl and the thread call take both)
  const path = pathname.replace(/\/$/, '');
  return sha256Hex(`${origin}${path}`).slice(0, 16);
};

/**
 * The owner of a channel whose routing entry names its Cliq user (`owner: alice`). The prefix keeps it apart
 * from every token hash (`cliq-…`), so a name can never join a token's group by accident.
 */
export const namedOwner = (name: string): string => `user-${name}`;

const EXAMPLE = 'https://cliq.zoho.com/api/v2/channelsbyname/NAME/message?zapikey=…';
/** The message endpoints a zapikey posts to (Cliq REST API v2): a channel by name, or a bot's subscribers. */
const MESSAGE_ENDPOINT = /\/api\/v2\/(?:channelsbyname|bots)\/[^/]+\/message\/?$/;

/**
 * Validates a Cliq channel "API endpoint" URL. Errors name the variable and the problem, never the URL (it
 * holds the token). `http://` is accepted only for loopback hosts (a local Cliq stand-in). The local stack
 * checks every channel's URL with it at start, and the sender's log names its error when a post is refused.
 */
export const parseChannelUrl = (raw: string, key: string): Result<ChannelTarget, string> => {
  const text = raw.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return err(`${key} has no scheme: start it with https://, as in ${EXAMPLE}`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(`${key} is not a URL: use the channel's message URL, ${EXAMPLE}`);
  }
  const loopback = LOOPBACK.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return err(
      `${key} must be an https:// URL (http:// is accepted only for loopback test servers, not ${url.hostname})`,
    );
  }
  if (/\/incoming\/?$/.test(url.pathname)) {
    return err(
      `${key} is a bot incoming-webhook URL, which hands messages to the bot's own handler: use the channel's API endpoint ending in /message`,
    );
  }
  if (!/\/message\/?$/.test(url.pathname)) {
    return err(`${key} does not end in /message: use the channel's API endpoint, e.g. ${EXAMPLE}`);
  }
  if (!MESSAGE_ENDPOINT.test(url.pathname)) {
    return err(
      `${key} is not a channel or bot message endpoint (its path is ${url.pathname}): use /api/v2/channelsbyname/NAME/message or /api/v2/bots/NAME/message, e.g. ${EXAMPLE}`,
    );
  }
  const token = url.searchParams.get('zapikey');
  if (token === null || token === '') {
    return err(
      `${key} has no zapikey parameter: append ?zapikey= and your Cliq webhook token to the channel's message URL`,
    );
  }
  return ok({ url: url.toString(), owner: ownerOf(token), display: `${url.host}${url.pathname}` });
};

/** Removes zapikey values from any text before it is logged or stored. */
export const redactTokens = (text: string): string => text.replace(/(zapikey=)[^&\s"']+/gi, '$1[redacted]');
