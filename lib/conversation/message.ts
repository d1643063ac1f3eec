import { escapeInline, link } from '../cliq/escape';
import { CLIQ_LIMITS, type CliqMessage } from '../cliq/message';
import { clip } from '../util/text';
import type { Delivery, FollowUp } from './decide';

/** The line naming what a channel post follows up, when it could not reply in that message's thread. */
export const followUpLine = (about: FollowUp): string => {
  const title = clip(about.title, 200);
  return `↪ Follows up: ${about.url !== undefined && about.url.length <= 1000 ? link(title, about.url) : escapeInline(title)}`;
};

const withLines = (message: CliqMessage, lines: readonly string[]): CliqMessage =>
  lines.length === 0
    ? message
    : { ...message, text: clip(`${lines.join('\n')}\n${message.text}`, CLIQ_LIMITS.text) };

/**
 * The message as its delivery sends it: a post asks Cliq for the message id (`sync_message`), so later events
 * can reply in its thread; a reply names its parent (`thread_message_id`) and, for what people must not miss,
 * shows in the channel too (`post_in_parent`). Notes ("still failing…") and the follow-up line lead the text,
 * which is the notification preview.
 */
export const conversationMessage = (
  message: CliqMessage,
  delivery: Exclude<Delivery, { kind: 'unchanged' }>,
): CliqMessage => {
  const note = delivery.note === undefined ? [] : [`*${delivery.note}*`];
  if (delivery.kind === 'reply') {
    return {
      ...withLines(message, note),
      thread_message_id: delivery.parent,
      ...(delivery.inChannel ? { post_in_parent: true } : {}),
    };
  }
  const follow = delivery.followUp === undefined ? [] : [followUpLine(delivery.followUp)];
  return { ...withLines(message, [...note, ...follow]), sync_message: true };
};
