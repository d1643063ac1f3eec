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

/** Renders a Cliq message for a terminal, as a person would read the card. */
export const renderPreview = (
  message: CliqMessage,
  context: { channel: string; event: VigilEvent },
): string =>
  [
    `── Cliq preview · channel ${context.channel} · ${context.event.kind} ──`,
    message.text,
    ...(message.card?.title === undefined ? [] : [`  ┃ ${message.card.title}`]),
    ...(message.slides ?? []).flatMap(slideLines),
    ...(message.buttons ?? []).map((b) => `  [${b.label}] ${b.action.data.web}`),
  ]
    .join('\n')
    .replace(ZERO_WIDTH_SPACE, '');

export const printPreview = (message: CliqMessage, context: { channel: string; event: VigilEvent }): void => {
  process.stdout.write(`${renderPreview(message, context)}\n`);
};
