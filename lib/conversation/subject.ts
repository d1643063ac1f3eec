import type { AnyEvent } from '../event/fields';
import { SENDER_SOURCES } from '../sources/events';
import type { Subject } from './subject-key';

export { boundKey, type Subject, type SubjectFamily } from './subject-key';

/**
 * The subject an event belongs to, by its own source's rules (`lib/sources/<name>/subject.ts`), or undefined
 * for events that stand alone (pushes, releases, pings…).
 */
export const subjectOf = (event: AnyEvent): Subject | undefined => SENDER_SOURCES.subject(event);
