import { err, ok, type Result } from '../result';
import { parseChannelUrl } from './channel-url';
import type { DeliveryResult } from './deliver';
import type { CliqMessage } from './message';

/** `[/network/X | /company/Y]/api/v2/channelsbyname/<CHANNEL>/message`, the channel URL users configure. */
const CHANNEL_PATH = /^(.*?)\/api\/v2\/channelsbyname\/([^/]+)\/message\/?$/;

/**
 * The thread call for a channel URL (specs/zoho-cliq.md, Threads): `/api/v3/channelsbyname/<CHANNEL>/messages`
 * on the same host, under the same network/company prefix, with the whole query (zapikey, bot_unique_name).
 * Errors name the problem, never the URL (it holds the token).
 */
export const threadPostUrl = (channelPostUrl: string, key = 'the channel URL'): Result<string, string> => {
  const parsed = parseChannelUrl(channelPostUrl, key);
  if (!parsed.ok) return parsed;
  const url = new URL(parsed.value.url);
  const match = CHANNEL_PATH.exec(url.pathname);
  if (match === null) {
    return err(
      `${key} is not a channel URL (/api/v2/channelsbyname/NAME/message): Cliq threads need a channel`,
    );
  }
  url.pathname = `${match[1]}/api/v3/channelsbyname/${match[2]}/messages`;
  url.hash = '';
  return ok(url.toString());
};

export type PlacementFields = Pick<CliqMessage, 'sync_message' | 'thread_message_id' | 'post_in_parent'>;

export interface Placement {
  /** Where to POST: a secret, as the channel URL it comes from. */
  readonly url: string;
  /** Fields to add to the message body. */
  readonly fields: PlacementFields;
}

/**
 * Where one message goes and what it adds to its body. Without a parent: the channel URL, asking Cliq for
 * the new message's id (`sync_message`) so later messages can reply to it. With one: the thread call with
 * `thread_message_id`, and `post_in_parent` when the reply must also show in the channel.
 */
export const threadTarget = (
  channelPostUrl: string,
  parentMessageId: string | undefined,
  options: { readonly postInParent?: boolean } = {},
): Result<Placement, string> => {
  if (parentMessageId === undefined) return ok({ url: channelPostUrl, fields: { sync_message: true } });
  if (parentMessageId.trim() === '') return err('the parent message id is empty');
  const url = threadPostUrl(channelPostUrl);
  if (!url.ok) return url;
  return ok({
    url: url.value,
    fields: {
      sync_message: true,
      thread_message_id: parentMessageId,
      ...(options.postInParent === true ? { post_in_parent: true } : {}),
    },
  });
};

/**
 * True when a failed thread call means "this channel takes no threads": a 4xx that is not throttling
 * (not 429, not request_limit_exceeded). A channel whose reply mode forbids threads answers so, and so would
 * a token the thread call does not accept (specs/zoho-cliq.md, Threads); either way, post in the channel.
 * Server errors, timeouts and throttling are transient: retry the thread call instead.
 */
export const threadsForbidden = (result: DeliveryResult): boolean =>
  !result.ok &&
  !result.throttled &&
  result.status !== undefined &&
  result.status >= 400 &&
  result.status < 500 &&
  result.status !== 408 &&
  result.status !== 429;
