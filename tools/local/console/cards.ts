import { CARD_CSS } from './card-styles';
import { renderMessage } from './render-card';
import { listSamples, type Sample, sampleMessages } from './samples';

/** One picture of the docs: a sample's messages, rendered by the one renderer. */
export interface CardPicture {
  /** `<source>-<sample>`, the file name in docs/cards/ without extension. */
  readonly name: string;
  readonly sample: Sample;
  /** The messages' HTML, one per line: what a test compares to tell a sample's rendering broke. */
  readonly html: string;
}

/** Every sample that posts something, with its rendering (a sample that posts nothing, like a ping, has none). */
export const cardPictures = (): CardPicture[] =>
  listSamples().flatMap((sample) => {
    const messages = sampleMessages(sample);
    return messages.length === 0
      ? []
      : [
          {
            name: sample.name.replace('/', '-'),
            sample,
            html: `${messages.map(({ message }) => renderMessage(message)).join('\n')}\n`,
          },
        ];
  });

/** A page holding one picture's messages, as a channel shows them. */
export const pictureDocument = (picture: CardPicture): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${CARD_CSS}
body{margin:0;background:#eef1f6}#shot{display:inline-block;padding:12px;width:680px}
.cliq-message+.cliq-message{margin-top:10px}</style></head><body><div id="shot">${picture.html}</div></body></html>`;

/** The README lines showing a source's pictures (between `<!-- cards:<source> -->` markers). */
export const readmeImages = (pictures: readonly CardPicture[], source: string): string =>
  pictures
    .filter((picture) => picture.sample.source === source)
    .map((picture) => `![${picture.sample.name} as Cliq shows it](docs/cards/${picture.name}.png)`)
    .join('\n');
