import type { SourceEvents } from '../source';
import { DockerEvent } from './facts';
import { formatDocker } from './format';
import { dockerSubject } from './subject';

/** Docker's events as the sender sees them (lib/sources/events.ts lists every source's). */
export const dockerEvents: SourceEvents<DockerEvent> = {
  schema: DockerEvent,
  format: formatDocker,
  subject: dockerSubject,
};
