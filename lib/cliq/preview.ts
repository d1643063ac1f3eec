import type { VigilEvent } from '../event/model';
import type { CliqMessage, Slide } from './message';

const ZERO_WIDTH_SPACE = /\u200B/g;

const slideLines = (slide: Slide): string[] => {
  const title = slide.title === undefined ? '' : `${slide.title}: `;
  switch (slide.type) {
    case 'label':
      return [
        `  ${title}${slide.data
          .map((entry) =>
            Object.entries(entry)
              .map(([k, v]) => `${k}=${v}`)
              .join(''),
          )
          .join(' | ')}`,
      ];
    case 'list':
      return [`  ${title}`, ...slide.data.map((item) => `    • ${item}`)];
    case 'text':
      return [`  ${title}${slide.data.split('\n').join('\n    ')}`];
    case 'table':
      return [
        `  ${title}${slide.data.headers.join(' | ')}`,
        ...slide.data.rows.map((row) => `    ${slide.data.headers.map((h) => row[h] ?? '').join(' | ')}`),
      ];
    case 'images':
      return [`  ${title}${slide.data.length} image(s)`];
  }
};

/** Where a previewed message went: its channel, the kind of the event it is about, and its thread. */
export interface PreviewPlace {
  readonly channel: string;
  readonly kind: string;
  /** The parent's message id when the message is a reply in a thread. */
  readonly parent?: string | undefined;
  /** A thread reply also shown in the channel. */
  readonly postInParent?: boolean;
}

const placeLine = (place: PreviewPlace): string => {
  const thread =
    place.parent === undefined
      ? ''
      : ` · reply in thread ${place.parent}${place.postInParent === true ? ', also in channel' : ''}`;
  return `── Cliq preview · channel ${place.channel} · ${place.kind}${thread} ──`;
};

/** Renders a Cliq message for a terminal, as a person would read the card. */
export const renderPreview = (
  message: CliqMessage,
  context: { channel: string; event: Pick<VigilEvent, 'kind'> } | PreviewPlace,
): string =>
  [
    placeLine('event' in context ? { channel: context.channel, kind: context.event.kind } : context),
    message.text,
    ...(message.card?.title === undefined ? [] : [`  ┃ ${message.card.title}`]),
    ...(message.slides ?? []).flatMap(slideLines),
    ...(message.buttons ?? []).map((b) => `  [${b.label}] ${b.action.data.web}`),
  ]
    .join('\n')
    .replace(ZERO_WIDTH_SPACE, '');

export const printPreview = (
  message: CliqMessage,
  context: { channel: string; event: Pick<VigilEvent, 'kind'> } | PreviewPlace,
): void => {
  process.stdout.write(`${renderPreview(message, context)}\n`);
};
