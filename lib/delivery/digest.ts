import { escapeInline, link } from '../cliq/escape';
import { CLIQ_LIMITS, type CliqMessage, type Slide } from '../cliq/message';
import type { VigilEvent } from '../event/model';
import { iconOf } from '../format/card';
import { clip } from '../util/text';

/** How many events one digest card lists at most, and how large its slides may grow, so Cliq's limits hold without cutting. */
export const DIGEST_MAX_EVENTS = 15;
const SLIDES_BUDGET = CLIQ_LIMITS.slidesChars - 1000;
const LINE_TITLE = 180;
const LINK_MAX = 300;

const line = (event: VigilEvent): string => {
  const text = `${iconOf(event.severity, event.outcome)} ${clip(event.title, LINE_TITLE)}`;
  return event.url !== undefined && event.url.length <= LINK_MAX
    ? `${escapeInline(text)} ${link('open', event.url)}`
    : escapeInline(text);
};

const slidesFor = (events: readonly VigilEvent[]): Slide[] => {
  const bySubject = new Map<string, string[]>();
  for (const event of events)
    bySubject.set(event.subject.name, [...(bySubject.get(event.subject.name) ?? []), line(event)]);
  return [...bySubject].map(([subject, lines]) => ({
    type: 'list',
    title: clip(escapeInline(subject), 100),
    data: lines,
  }));
};

const card = (events: readonly VigilEvent[], part: number, parts: number): CliqMessage => {
  const failed = events.filter((event) => event.outcome === 'failure').length;
  const subjects = [...new Set(events.map((event) => event.subject.name))];
  const summary = `${events.length} events${failed > 0 ? `, ${failed} failed` : ''} in ${subjects.length === 1 ? subjects[0] : `${subjects.length} places`}`;
  const suffix = parts > 1 ? ` (part ${part} of ${parts})` : '';
  return {
    text: clip(`📋 Digest: ${escapeInline(summary)}${suffix}`, CLIQ_LIMITS.text),
    card: {
      title: clip(`📋 ${escapeInline(summary)}${suffix}`, CLIQ_LIMITS.cardTitle),
      theme: 'modern-inline',
    },
    slides: slidesFor(events),
  };
};

/**
 * Digest cards for events waiting for one channel: each event listed once (icon, title, link), grouped by
 * repository, project or service, split over as many cards as Cliq's limits need. Nothing is cut to fit:
 * a card is closed before it would outgrow them, so every event appears in exactly one card.
 */
export const digestChunks = (
  events: readonly VigilEvent[],
): { events: VigilEvent[]; message: CliqMessage }[] => {
  const chunks: VigilEvent[][] = [];
  let current: VigilEvent[] = [];
  for (const event of events) {
    const next = [...current, event];
    const tooBig =
      JSON.stringify(slidesFor(next)).length > SLIDES_BUDGET ||
      new Set(next.map((e) => e.subject.name)).size > CLIQ_LIMITS.slides;
    if (current.length > 0 && (next.length > DIGEST_MAX_EVENTS || tooBig)) {
      chunks.push(current);
      current = [event];
    } else {
      current = next;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks.map((chunk, index) => ({ events: chunk, message: card(chunk, index + 1, chunks.length) }));
};

export const digestMessages = (events: readonly VigilEvent[]): CliqMessage[] =>
  digestChunks(events).map((chunk) => chunk.message);
