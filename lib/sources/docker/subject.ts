import { type Subject, subjectKey } from '../../conversation/subject-key';
import type { DockerEvent } from './facts';

/** A container is an incident, per host; a Docker Hub push stands alone. */
export const dockerSubject = (event: DockerEvent): Subject | undefined =>
  event.facts.type === 'container'
    ? {
        key: subjectKey('docker', event.facts.host ?? event.subject.name, event.facts.container),
        family: 'incident',
        label: `container ${event.facts.container}`,
      }
    : undefined;
