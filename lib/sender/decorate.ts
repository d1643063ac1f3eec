import { CLIQ_LIMITS, type CliqMessage } from '../cliq/message';
import type { Channel } from '../routing/schema';
import { clip } from '../util/text';

/** Adds the route's mentions (e.g. on-call for critical alerts) on their own line; they are never cut off. */
export const withMentions = (message: CliqMessage, mentions: readonly string[] | undefined): CliqMessage => {
  if (mentions === undefined || mentions.length === 0) return message;
  const suffix = `\n${mentions.join(' ')}`;
  return { ...message, text: `${clip(message.text, CLIQ_LIMITS.text - suffix.length)}${suffix}` };
};

/** The channel's display bot (name and image), as configured in the routing file. */
export const withBot = (message: CliqMessage, channel: Channel | undefined): CliqMessage =>
  channel?.bot === undefined || (channel.bot.name === undefined && channel.bot.image === undefined)
    ? message
    : {
        ...message,
        bot: {
          ...(channel.bot.name === undefined ? {} : { name: channel.bot.name }),
          ...(channel.bot.image === undefined ? {} : { image: channel.bot.image }),
        },
      };

/** Posting as a bot that is a member of the channel: Cliq's `bot_unique_name` parameter. */
export const channelPostUrl = (url: string, channel: Channel | undefined): string => {
  if (channel?.bot_unique_name === undefined) return url;
  const target = new URL(url);
  target.searchParams.set('bot_unique_name', channel.bot_unique_name);
  return target.toString();
};
