import type { CliqMessage } from '../cliq/message';
import type { VigilEvent } from '../event/model';
import type { WebhookError } from '../http/errors';
import type { WebhookRequest } from '../http/request';
import type { Result } from '../result';
import type { Secrets } from '../secrets';

/** What a source made of a request: events to queue (none for a ping or an installation notice). */
export interface Accepted {
  readonly events: readonly VigilEvent[];
  /** Why nothing was queued, when nothing was (shown to the caller). */
  readonly note?: string;
}

/**
 * Everything Vigil knows about one webhook source. Adding a source means one folder that exports one of
 * these, one line in the registry, one handler in functions/ and one serverless.yml entry.
 */
export interface SourceAdapter<E extends VigilEvent = VigilEvent> {
  readonly name: E['source'];
  /** The HTTP route API Gateway and the local stack expose. */
  readonly route: `/webhooks/${string}`;
  readonly methods: readonly string[];
  /** The header naming the delivery, for logs (lower case). */
  readonly deliveryHeader: string;
  /** Media types accepted, lower case, without parameters. */
  readonly contentTypes: readonly string[];
  /** Development-only secrets used by the local stack and `invoke local` when none are configured. */
  readonly developmentSecrets: Readonly<Record<string, string>>;
  authenticate(request: WebhookRequest, secrets: Secrets): Result<true, WebhookError>;
  accept(request: WebhookRequest, receivedAt: string): Result<Accepted, WebhookError>;
  format(event: E): CliqMessage;
}
