import type { CliqMessage } from '../cliq/message';
import type { Subject } from '../conversation/subject-key';
import type { AnyEvent } from '../event/fields';
import type { Source, VigilEvent } from '../event/model';
import { alertmanagerEvents } from './alertmanager/events';
import { dockerEvents } from './docker/events';
import { githubEvents } from './github/events';
import { gitlabEvents } from './gitlab/events';
import { grafanaEvents } from './grafana/events';
import { sentryEvents } from './sentry/events';
import type { AlertGroupFacts } from './shared/alerting/facts';
import type { SourceEvents } from './source';

/**
 * The events each source produces, as the sender sees them: one line per source, its `SourceEvents`. The
 * sender bundles this file, so it holds no normalizer, verifier or sample. lib/event/model.ts and
 * lib/sources/registry.ts name the same sources (the compiler checks).
 */
export const SOURCE_EVENTS: { readonly [S in Source]: SourceEvents<Extract<VigilEvent, { source: S }>> } = {
  github: githubEvents,
  gitlab: gitlabEvents,
  sentry: sentryEvents,
  docker: dockerEvents,
  alertmanager: alertmanagerEvents,
  grafana: grafanaEvents,
};

/** What the sender asks of an event's own source, whichever source it is: no shared code switches on one. */
export interface EventSources {
  readonly names: readonly string[];
  format(event: AnyEvent): CliqMessage;
  subject(event: AnyEvent): Subject | undefined;
  /** The source's key for the delivery (its id unless the source says otherwise); the ledger puts `identity` first. */
  deliveryKey(event: AnyEvent): string;
  /** The alert group it carries, if its source sends them. */
  alertGroup(event: AnyEvent): AlertGroupFacts | undefined;
}

/**
 * Looks each event's source up by its name, in `bySource`: SOURCE_EVENTS for the sender, more in a test
 * (tests/unit/toy-source.test.ts adds a source this way). An event is validated before it gets here, so a
 * source missing from `bySource` is a bug, and throws.
 */
export const eventSources = <E extends AnyEvent>(
  bySource: {
    readonly [S in E['source']]: SourceEvents<Extract<E, { source: S }>>;
  },
): EventSources => {
  const names = Object.keys(bySource);
  const of = (event: AnyEvent): SourceEvents<AnyEvent> => {
    if (!Object.hasOwn(bySource, event.source)) {
      throw new Error(`No source named "${event.source}" (known: ${names.join(', ')})`);
    }
    return bySource[event.source as E['source']] as unknown as SourceEvents<AnyEvent>;
  };
  return {
    names,
    format: (event) => of(event).format(event),
    subject: (event) => of(event).subject(event),
    deliveryKey: (event) => of(event).deliveryKey?.(event) ?? event.id,
    alertGroup: (event) => of(event).alertGroup?.(event),
  };
};

/** Every source the sender handles. */
export const SENDER_SOURCES: EventSources = eventSources<VigilEvent>(SOURCE_EVENTS);

export const formatEvent = (event: VigilEvent): CliqMessage => SENDER_SOURCES.format(event);
