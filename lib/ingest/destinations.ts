import { DEFAULT_CHANNEL, resolveChannel } from '../channels';
import type { VigilEvent } from '../event/model';
import { NotConfiguredError, type WebhookError } from '../http/errors';
import type { Destination } from '../queue/message';
import { err, ok, type Result } from '../result';
import type { Secrets } from '../secrets';

export type ResolveDestinations = (
  event: VigilEvent,
  secrets: Secrets,
) => Result<readonly Destination[], WebhookError>;

/**
 * Today every event goes to the default channel; routing rules will decide per event. The owner (a hash of
 * the channel's Cliq token) becomes the FIFO group, so every post spending one Cliq budget is serialized.
 */
export const defaultDestinations =
  (options: { readonly previewWhenUnset: boolean }): ResolveDestinations =>
  (_event, secrets) => {
    const channel = resolveChannel(DEFAULT_CHANNEL, secrets, options);
    if (!channel.ok) return err(new NotConfiguredError(channel.error));
    const owner = channel.value.kind === 'cliq' ? channel.value.target.owner : channel.value.owner;
    return ok([{ channel: DEFAULT_CHANNEL, owner }]);
  };
