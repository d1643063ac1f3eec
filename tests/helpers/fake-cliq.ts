import type { DeliveryResult } from '../../lib/cliq/deliver';
import type { CliqMessage } from '../../lib/cliq/message';

export interface FakePost {
  readonly channel: string;
  readonly thread: boolean;
  readonly message: CliqMessage;
  readonly messageId?: string;
}

/** Cliq's 400 with its error code, as `postToCliq` reports it. */
const refused = (code: string, message: string): DeliveryResult => ({
  ok: false,
  transient: false,
  throttled: false,
  status: 400,
  code,
  message,
});

/**
 * Cliq as the sender's `deliver` sees it (specs/zoho-cliq.md, Threads): a channel post answers 200
 * `{"message_id"}` when `sync_message` is set, else 204; the v3 thread call needs a `thread_message_id`
 * that is a message of that channel. Channels can forbid threads or leave ids out.
 */
export const fakeCliq = (
  options: { forbidThreads?: readonly string[]; omitIds?: readonly string[] } = {},
) => {
  const posts: FakePost[] = [];
  const ids = new Map<string, string>();
  let next = 0;
  const deliver = async (url: string, message: CliqMessage): Promise<DeliveryResult> => {
    const path = new URL(url).pathname;
    const thread = /\/api\/v3\/channelsbyname\/[^/]+\/messages$/.test(path);
    const channel = /\/channelsbyname\/([^/]+)\//.exec(path)?.[1] ?? '';
    if (thread) {
      if (options.forbidThreads?.includes(channel))
        return refused('operation_failed', 'threads are not allowed here');
      if (message.thread_message_id === undefined || ids.get(message.thread_message_id) !== channel)
        return refused('input_invalid', 'no such message here');
    } else if (message.thread_message_id !== undefined) {
      return refused('input_invalid', 'thread_message_id on a channel post');
    }
    const withId = message.sync_message === true && !options.omitIds?.includes(channel);
    const messageId = withId ? `${Date.now()}_${++next}` : undefined;
    if (messageId !== undefined) ids.set(messageId, channel);
    posts.push({ channel, thread, message, ...(messageId === undefined ? {} : { messageId }) });
    return messageId === undefined ? { ok: true, status: 204 } : { ok: true, status: 200, messageId };
  };
  return { posts, deliver, channelOf: (id: string) => ids.get(id) };
};

export const channelUrl = (channel: string, token = 'tok'): string =>
  `https://cliq.zoho.com/api/v2/channelsbyname/${channel}/message?zapikey=${token}`;
