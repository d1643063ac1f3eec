import type * as v from 'valibot';
import type { CliqMessage } from '../cliq/message';
import type { Subject } from '../conversation/subject-key';
import type { AnyEvent } from '../event/fields';
import type { VigilEvent } from '../event/model';
import type { WebhookError } from '../http/errors';
import type { WebhookRequest } from '../http/request';
import type { Result } from '../result';
import type { Secrets } from '../secrets';
import type { AlertGroupFacts } from './shared/alerting/facts';
import type { RequestClock } from './shared/replay';

/** What a source made of a request: events to queue (none for a ping or an installation notice). */
export interface Accepted {
  readonly events: readonly VigilEvent[];
  /** Why nothing was queued, when nothing was (shown to the caller). */
  readonly note?: string;
}

/**
 * The ingest side of one webhook source: what its Lambda bundles (its own folder and lib/sources/shared, never
 * another source). CONTRIBUTING.md lists every step of adding a source.
 */
export interface SourceAdapter<E extends VigilEvent = VigilEvent> {
  readonly name: E['source'];
  /** The HTTP route API Gateway and the local stack expose: always `/webhooks/<name>`. */
  readonly route: `/webhooks/${string}`;
  readonly methods: readonly string[];
  /** The header naming the delivery, for logs (lower case). */
  readonly deliveryHeader: string;
  /** The header naming the event, for sources that send one (tools take it as `--event`). */
  readonly eventHeader?: string;
  /** Media types accepted, lower case, without parameters. */
  readonly contentTypes: readonly string[];
  /** Development-only secrets used by the local stack and `invoke local` when none are configured. */
  readonly developmentSecrets: Readonly<Record<string, string>>;
  /** The schema every event it produces must pass before it is queued. */
  readonly schema: v.GenericSchema<unknown, E>;
  /** `clock` checks the timestamp a source signs or sends beside its signature (Sentry, Grafana). */
  authenticate(request: WebhookRequest, secrets: Secrets, clock: RequestClock): Result<true, WebhookError>;
  accept(request: WebhookRequest, receivedAt: string): Result<Accepted, WebhookError>;
}

/**
 * The sender side of one source (`lib/sources/<name>/events.ts`): the schema its queued events pass again,
 * the card they become, the conversation they belong to and the key the ledger records them under. The
 * sender bundles every source's, so none of it reaches a normalizer, verifier or sample.
 */
export interface SourceEvents<E extends AnyEvent = VigilEvent> {
  readonly schema: v.GenericSchema<unknown, E>;
  format(event: E): CliqMessage;
  /**
   * The conversation the event belongs to (`lib/sources/<name>/subject.ts`), or undefined for an event that
   * stands alone (a push, a release, a ping). Its keys are stored: see Subject.
   */
  subject(event: E): Subject | undefined;
  /**
   * The ledger's key for a delivery that carries no signed `identity` (which always comes first); without
   * this, the event's id. An alert group's is its state and receipt time (shared/alerting/delivery-key.ts).
   */
  deliveryKey?(event: E): string;
  /**
   * The alert group the event carries, for sources that send them (Alertmanager, Grafana): the sender
   * remembers which alerts a resolution ended, and knows a late firing of one (lib/conversation/resolutions.ts).
   */
  alertGroup?(event: E): AlertGroupFacts | undefined;
}

/** A request's proof of origin: the headers and query parameters that carry it. */
export interface Credentials {
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
}

/** One sample payload of a source, written to `events/<source>/<name>.json` by `npm run events`. */
export interface SamplePayload {
  readonly name: string;
  readonly payload: unknown;
  readonly headers?: Record<string, string>;
  /** Authenticates with a URL token (legacy Sentry plugin, Docker Hub) instead of the source's usual way. */
  readonly queryToken?: boolean;
}

/** What tools and tests need to speak as the source: signed requests and sample payloads. */
export interface SourceSamples {
  /** How the source proves a request genuine, with `secret` (by default its development secret). */
  credentials(body: Buffer | string, secret?: string): Credentials;
  /** The same with a URL token, for sources that also take one (`queryToken` samples). */
  queryCredentials?(secret?: string): Credentials;
  /** The headers the source always sends besides authentication. */
  readonly defaultHeaders: Readonly<Record<string, string>>;
  /** Payloads for events/ (GitHub's come from @octokit/webhooks-examples in scripts/make-events.ts). */
  readonly payloads: readonly SamplePayload[];
}
