import type { SourceEvents } from '../source';
import { SentryEvent } from './facts';
import { formatSentry } from './format';
import { sentrySubject } from './subject';

/** Sentry's events as the sender sees them (lib/sources/events.ts lists every source's). */
export const sentryEvents: SourceEvents<SentryEvent> = {
  schema: SentryEvent,
  format: formatSentry,
  subject: sentrySubject,
};
