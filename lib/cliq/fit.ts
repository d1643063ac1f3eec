import { clip } from '../util/text';
import { type Button, CLIQ_LIMITS, type CliqMessage, type Slide } from './message';

const slidesSize = (slides: readonly Slide[]): number => JSON.stringify(slides).length;

const isOpenableUrl = (url: string): boolean =>
  url.length <= CLIQ_LIMITS.buttonUrl && /^https?:\/\//i.test(url);

const fitButton = (button: Button): Button => ({
  ...button,
  label: clip(button.label, CLIQ_LIMITS.buttonLabel),
  ...(button.hint === undefined ? {} : { hint: clip(button.hint, CLIQ_LIMITS.buttonHint) }),
});

/** The longest string inside the slides, as a setter so it can be shortened in place. */
const longestString = (
  slides: Slide[],
): { length: number; set: (value: string) => void; value: string } | undefined => {
  let best: { length: number; set: (value: string) => void; value: string } | undefined;
  const visit = (holder: Record<string, unknown> | unknown[], key: string | number) => {
    const value = (holder as Record<string | number, unknown>)[key];
    if (typeof value === 'string') {
      if (best === undefined || value.length > best.length) {
        best = {
          length: value.length,
          value,
          set: (next) => ((holder as Record<string | number, unknown>)[key] = next),
        };
      }
    } else if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) visit(value, index);
    } else if (typeof value === 'object' && value !== null) {
      for (const inner of Object.keys(value)) visit(value as Record<string, unknown>, inner);
    }
  };
  for (let index = 0; index < slides.length; index++) visit(slides, index);
  return best;
};

/** Drops the last entry of the slide with the most entries; false when every slide has one entry or fewer. */
const dropLastEntry = (slides: Slide[]): boolean => {
  let target: unknown[] | undefined;
  for (const slide of slides) {
    const entries =
      slide.type === 'table' ? slide.data.rows : Array.isArray(slide.data) ? slide.data : undefined;
    if (
      entries !== undefined &&
      entries.length > 1 &&
      (target === undefined || entries.length > target.length)
    )
      target = entries;
  }
  if (target === undefined) return false;
  target.pop();
  return true;
};

const fitSlides = (input: readonly Slide[]): Slide[] => {
  const slides: Slide[] = structuredClone(input.slice(0, CLIQ_LIMITS.slides));
  for (;;) {
    const excess = slidesSize(slides) - CLIQ_LIMITS.slidesChars;
    if (excess <= 0) return slides;
    const longest = longestString(slides);
    if (longest !== undefined && longest.length > 120) {
      longest.set(clip(longest.value, Math.max(120, longest.length - excess - 8)));
    } else if (!dropLastEntry(slides)) {
      slides.pop();
    }
  }
};

/**
 * Brings any message within Cliq's limits: text, card title, button count/labels/URLs (a URL too long to
 * open is dropped, since a cut URL is broken), and the slides' total size. Formatters build freely; this
 * is the one place that enforces the limits.
 */
export const fitMessage = (message: CliqMessage): CliqMessage => {
  const text = clip(message.text.trim() === '' ? 'Vigil notification' : message.text, CLIQ_LIMITS.text);
  const buttons = (message.buttons ?? []).filter((button) => isOpenableUrl(button.action.data.web));
  return {
    ...message,
    text,
    ...(message.card === undefined
      ? {}
      : {
          card: {
            ...message.card,
            ...(message.card.title === undefined
              ? {}
              : { title: clip(message.card.title, CLIQ_LIMITS.cardTitle) }),
          },
        }),
    ...(message.slides === undefined ? {} : { slides: fitSlides(message.slides) }),
    ...(message.buttons === undefined
      ? {}
      : { buttons: buttons.slice(0, CLIQ_LIMITS.buttons).map(fitButton) }),
  };
};
