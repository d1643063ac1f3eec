import type { VigilEvent } from '../event/model';

/**
 * Lists a card already summarises with "…and N more" (their totals stay in the facts), and the end of each a
 * card shows: an alert group lists its first alerts (`alertCount` is the total), a push its newest commits
 * (`commitCount`).
 */
const SHRINKABLE = [
  { key: 'alerts', keep: 'first' },
  { key: 'commits', keep: 'last' },
] as const;

/**
 * The event with its long list cut to the largest length that `fits`, or the event itself when it fits or has
 * no such list. A binary search: a few serializations even for the longest list.
 */
export const shrinkToFit = (event: VigilEvent, fits: (event: VigilEvent) => boolean): VigilEvent => {
  if (fits(event)) return event;
  const facts = event.facts as Readonly<Record<string, unknown>>;
  const list = SHRINKABLE.find(
    ({ key }) => Array.isArray(facts[key]) && (facts[key] as unknown[]).length > 0,
  );
  if (list === undefined) return event;
  const items = facts[list.key] as readonly unknown[];
  const cut = (length: number): VigilEvent =>
    ({
      ...event,
      facts: {
        ...facts,
        [list.key]: list.keep === 'first' ? items.slice(0, length) : items.slice(items.length - length),
      },
    }) as VigilEvent;
  let low = 0;
  let high = items.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(cut(middle))) low = middle;
    else high = middle - 1;
  }
  return cut(low);
};
