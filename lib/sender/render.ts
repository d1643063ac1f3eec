import { fitMessage } from '../cliq/fit';
import type { CliqMessage } from '../cliq/message';
import { digestChunks } from '../delivery/digest';
import type { VigilEvent } from '../event/model';
import { err, ok, type Result } from '../result';
import type { Channel } from '../routing/schema';
import { withBot, withMentions } from './decorate';

/** One Cliq post and the events it carries. */
export interface Card {
  readonly message: CliqMessage;
  readonly events: readonly VigilEvent[];
}

/**
 * The cards for a post: one event's card fitted to Cliq's limits, or the digests of several. Each is then
 * decorated for its channel (bot, mentions). A formatter that throws is reported as an error, not thrown.
 */
export const renderCards = (
  post:
    | { readonly kind: 'single'; readonly event: VigilEvent }
    | { readonly kind: 'digest'; readonly events: readonly VigilEvent[] },
  format: (event: VigilEvent) => CliqMessage,
  settings: Channel | undefined,
  mentions: readonly string[],
): Result<Card[], string> => {
  try {
    const raw =
      post.kind === 'single'
        ? [{ message: fitMessage(format(post.event)), events: [post.event] }]
        : digestChunks(post.events);
    return ok(
      raw.map((card) => ({
        events: card.events,
        message: withMentions(withBot(card.message, settings), mentions),
      })),
    );
  } catch (error) {
    return err((error as Error).message);
  }
};
