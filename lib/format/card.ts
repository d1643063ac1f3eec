import { escapeCliq, escapeInline } from '../cliq/escape';
import type { Button, CliqMessage, Slide } from '../cliq/message';
import type { Outcome, Severity } from '../event/fields';

/** Building blocks every source's formatter shares, so cards read alike whatever the source. */

const OUTCOME_ICON: Record<Outcome, string> = {
  success: '✅',
  failure: '🔴',
  cancelled: '⚪',
  skipped: '⏭️',
  pending: '⏳',
  neutral: '⚪',
  none: '🔵',
};

export const iconOf = (severity: Severity, outcome: Outcome): string =>
  severity === 'critical'
    ? '🚨'
    : outcome === 'none' && severity === 'warning'
      ? '🟠'
      : OUTCOME_ICON[outcome];

export type Fact = readonly [label: string, value: string | number | undefined | false];

/** A label slide of the facts that have a value; values are escaped (they are user-controlled). */
export const labelSlide = (title: string, facts: readonly Fact[]): Slide | undefined => {
  const data = facts
    .filter(
      (fact): fact is readonly [string, string | number] =>
        fact[1] !== undefined && fact[1] !== false && fact[1] !== '',
    )
    .map(([label, value]) => ({ [label]: escapeInline(String(value)) }));
  return data.length === 0 ? undefined : { type: 'label', title, data };
};

export const listSlide = (title: string, items: readonly string[]): Slide | undefined =>
  items.length === 0 ? undefined : { type: 'list', title, data: items.map(escapeInline) };

/** A table; every cell is escaped, and rows only use the given headers, as Cliq requires. */
export const tableSlide = (
  title: string,
  headers: readonly string[],
  rows: readonly (readonly (string | undefined)[])[],
): Slide | undefined =>
  rows.length === 0
    ? undefined
    : {
        type: 'table',
        title,
        data: {
          headers: [...headers],
          rows: rows.map((row) =>
            Object.fromEntries(headers.map((header, index) => [header, escapeInline(row[index] ?? '–')])),
          ),
        },
      };

export const textSlide = (title: string, text: string | undefined): Slide | undefined =>
  text === undefined || text.trim() === ''
    ? undefined
    : { type: 'text', title, data: escapeCliq(text.trim()) };

export const button = (label: string, url: string | undefined, type?: '+' | '-'): Button | undefined =>
  url === undefined
    ? undefined
    : { label, ...(type === undefined ? {} : { type }), action: { type: 'open.url', data: { web: url } } };

const present = <T>(items: readonly (T | undefined)[]): T[] =>
  items.filter((item): item is T => item !== undefined);

export interface CardParts {
  readonly icon: string;
  /** One line, the notification preview; user text is escaped here. */
  readonly headline: string;
  readonly cardTitle: string;
  readonly slides: readonly (Slide | undefined)[];
  readonly buttons: readonly (Button | undefined)[];
}

export const card = ({ icon, headline, cardTitle, slides, buttons }: CardParts): CliqMessage => {
  const kept = present(slides);
  const links = present(buttons);
  return {
    text: `${icon} ${escapeInline(headline)}`,
    card: { title: `${icon} ${escapeInline(cardTitle)}`, theme: 'modern-inline' },
    ...(kept.length === 0 ? {} : { slides: kept }),
    ...(links.length === 0 ? {} : { buttons: links }),
  };
};

interface CardEvent {
  readonly severity: Severity;
  readonly outcome: Outcome;
  readonly subject: { readonly name: string };
  readonly title: string;
}

/** The card every source sends: icon by outcome, `subject: title` as the preview line, the title on the card. */
export const eventCard = (
  event: CardEvent,
  body: Pick<CardParts, 'slides' | 'buttons'> & { readonly icon?: string },
): CliqMessage =>
  card({
    icon: body.icon ?? iconOf(event.severity, event.outcome),
    headline: `${event.subject.name}: ${event.title}`,
    cardTitle: event.title,
    slides: body.slides,
    buttons: body.buttons,
  });
