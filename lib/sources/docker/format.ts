import type { CliqMessage } from '../../cliq/message';
import { button, eventCard, labelSlide } from '../../format/card';
import type { DockerEvent } from './facts';

/** The Cliq card for a Docker event. */
export const formatDocker = (event: DockerEvent): CliqMessage => {
  const { facts } = event;
  if (facts.type === 'hub_push') {
    return eventCard(event, {
      icon: '🐳',
      slides: [
        labelSlide('Image push', [
          ['Image', `${facts.repository}${facts.tag === undefined ? '' : `:${facts.tag}`}`],
          ['Tag', facts.tag ?? 'none given'],
          ['Pusher', facts.pusher],
          ['Pushed at', facts.pushedAt],
          ['Visibility', facts.isPrivate ? 'private' : 'public'],
        ]),
      ],
      buttons: [button('Open on Docker Hub', event.url)],
    });
  }
  return eventCard(event, {
    slides: [
      labelSlide('Container', [
        ['Container', facts.container],
        ['Image', facts.image],
        ['Event', facts.action],
        ['Exit code', facts.exitCode],
        ['Signal', facts.signal],
        ['Health', facts.health],
        ['Host', facts.host],
        ['ID', facts.containerId],
        ['At', event.occurredAt],
      ]),
    ],
    buttons: [],
  });
};
