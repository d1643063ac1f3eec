import { escapeInline, link } from '../cliq/escape';
import { CLIQ_LIMITS, type CliqMessage, type Slide } from '../cliq/message';
import type { VigilEvent } from '../event/model';
import { iconOf } from '../format/card';
import { clip } from '../util/text';

/**
 * Summary digests, for when more events wait than the owner's budget has posts for (a storm): events are
 * grouped by what happened ("HighLatency firing", "CI failed") and, within it, by subject, and each event
 * is named by its handle (an alert's instance, a run's number) instead of a line of its own. Every event is
 * still named, once, in exactly one card; a card closes before it would outgrow Cliq's limits.
 */

const SLIDES_BUDGET = CLIQ_LIMITS.slidesChars - 1000;
/** Cliq shows a list item whole; a subject naming hundreds of events is split over several items. */
const ITEM_CHARS = 900;
const HANDLE_CHARS = 60;

/** What happened, for grouping: the alert's name and status, the workflow and its conclusion, or the kind. */
export const headline = (event: VigilEvent): string => {
  const facts = event.facts as { type?: string } & Record<string, unknown>;
  if (facts.type === 'alert_group') {
    const alerts = (facts.alerts as { name?: string }[] | undefined) ?? [];
    const names = [...new Set(alerts.map((alert) => alert.name).filter(Boolean))];
    return `${names.length === 1 ? names[0] : (names[0] ?? 'alerts')} ${String(facts.status)}`;
  }
  if (facts.type === 'run') {
    const name = (facts.workflowName as string | undefined) ?? (facts.name as string | undefined) ?? 'CI';
    return `${name} ${String(facts.conclusion ?? facts.status ?? event.outcome)}`;
  }
  return `${event.kind.replace(/^[^.]+\./, '')} ${event.outcome === 'none' ? '' : event.outcome}`.trim();
};

/** How one event is told apart from the others of its group: its instances, its run number, or its title. */
export const handle = (event: VigilEvent): string => {
  const facts = event.facts as { type?: string } & Record<string, unknown>;
  if (facts.type === 'alert_group') {
    const alerts = (facts.alerts as { instance?: string; name?: string }[] | undefined) ?? [];
    const names = [...new Set(alerts.map((alert) => alert.instance ?? alert.name).filter(Boolean))];
    if (names.length > 0) return clip(names.join('+'), HANDLE_CHARS);
  }
  if (facts.type === 'run' && typeof facts.runNumber === 'number') return `#${facts.runNumber}`;
  return clip(event.title, HANDLE_CHARS);
};

/**
 * The handle as the card shows it: escaped, and a link to the event's page when it has one and is not an
 * alert (an alert's instance is its identity; its generator link is long and the same for the group), so a
 * run in a storm's summary is one click from its log.
 */
const shown = (event: VigilEvent): string => {
  const name = handle(event);
  const alert = (event.facts as { type?: string }).type === 'alert_group';
  return !alert && event.url !== undefined ? link(name, event.url) : escapeInline(name);
};

interface Group {
  readonly title: string;
  readonly icon: string;
  /** Per subject, the events in arrival order. */
  readonly subjects: Map<string, VigilEvent[]>;
}

/**
 * Groups a card's events by what happened, so that each subject still reads in arrival order: a subject
 * "firing, then resolved, then firing" is listed in a firing group, a resolved group after it, and a
 * firing group after that, not under one "firing" heading ahead of its resolve. An event joins the first
 * group with its title at or after the one holding its subject's previous event, or opens a new group at
 * the end. Critical events lead the card, as they would post ahead of a digest, unless an earlier event of
 * their subject is routine: then they follow it, as lib/delivery/plan.ts places them.
 */
const groupsOf = (events: readonly VigilEvent[]): Group[] => {
  const tiers: [Group[], Group[]] = [[], []];
  const keys = new Map<Group, string>();
  /** Where each subject's latest event went: its tier (0 critical, 1 routine) and the group's place there. */
  const latest = new Map<string, { tier: 0 | 1; index: number }>();
  for (const event of events) {
    const title = headline(event);
    const key = `${event.source}\n${title}`;
    const subject = `${event.source}\n${event.subject.name}`;
    const previous = latest.get(subject);
    const tier: 0 | 1 = event.severity === 'critical' && (previous?.tier ?? 0) === 0 ? 0 : 1;
    const groups = tiers[tier];
    const from = previous?.tier === tier ? previous.index : 0;
    let index = groups.findIndex((group, at) => at >= from && keys.get(group) === key);
    if (index < 0) {
      const group: Group = { title, icon: iconOf(event.severity, event.outcome), subjects: new Map() };
      keys.set(group, key);
      index = groups.push(group) - 1;
    }
    const group = groups[index] as Group;
    group.subjects.set(event.subject.name, [...(group.subjects.get(event.subject.name) ?? []), event]);
    latest.set(subject, { tier, index });
  }
  return [...tiers[0], ...tiers[1]];
};

/** List items for one subject: `service: a, b, c`, split where an item would grow too long. */
const items = (subject: string, events: readonly VigilEvent[]): { text: string; events: VigilEvent[] }[] => {
  const out: { text: string; events: VigilEvent[] }[] = [];
  const lead = `${escapeInline(`${clip(subject, 100)} (${events.length}):`)} `;
  let current: VigilEvent[] = [];
  let text = lead;
  for (const event of events) {
    const name = shown(event);
    if (current.length > 0 && text.length + name.length + 2 > ITEM_CHARS) {
      out.push({ text, events: current });
      current = [];
      text = `${escapeInline(`${clip(subject, 100)} (cont.):`)} `;
    }
    text += current.length === 0 ? name : `, ${name}`;
    current.push(event);
  }
  if (current.length > 0) out.push({ text, events: current });
  return out;
};

interface Draft {
  slides: Slide[];
  events: VigilEvent[];
  size: number;
}

/**
 * Summary cards naming every event once, as few as Cliq's limits allow. Cards take the events in arrival
 * order (each card the longest run that fits), so a later card never names an event older than an earlier
 * card's: grouping happens inside a card only.
 */
export const summaryChunks = (
  events: readonly VigilEvent[],
): { events: VigilEvent[]; message: CliqMessage }[] => {
  const runs: Draft[] = [];
  for (let start = 0; start < events.length; ) {
    let low = 1;
    let high = events.length - start;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (draftsOf(events.slice(start, start + middle)).length <= 1) low = middle;
      else high = middle - 1;
    }
    runs.push(...draftsOf(events.slice(start, start + low)));
    start += low;
  }
  return runs.map((chunk, index) => ({ events: chunk.events, message: card(chunk, index + 1, runs.length) }));
};

const draftsOf = (events: readonly VigilEvent[]): Draft[] => {
  const drafts: Draft[] = [];
  let draft: Draft = { slides: [], events: [], size: 0 };
  const close = () => {
    if (draft.events.length > 0) drafts.push(draft);
    draft = { slides: [], events: [], size: 0 };
  };
  for (const group of groupsOf(events)) {
    const count = [...group.subjects.values()].reduce((sum, list) => sum + list.length, 0);
    const title = clip(escapeInline(`${group.icon} ${group.title}: ${count}`), 100);
    let slide: { type: 'list'; title: string; data: string[] } | undefined;
    for (const [subject, list] of group.subjects) {
      for (const item of items(subject, list)) {
        const cost = item.text.length + 8;
        const full = draft.size + cost + (slide === undefined ? title.length + 40 : 0) > SLIDES_BUDGET;
        if (full || (slide === undefined && draft.slides.length >= CLIQ_LIMITS.slides)) {
          close();
          slide = undefined;
        }
        if (slide === undefined) {
          slide = { type: 'list', title, data: [] };
          draft.slides.push(slide);
          draft.size += title.length + 40;
        }
        slide.data.push(item.text);
        draft.size += cost;
        draft.events.push(...item.events);
      }
    }
  }
  close();
  return drafts;
};

const card = (chunk: Draft, part: number, parts: number): CliqMessage => {
  const failed = chunk.events.filter((event) => event.outcome === 'failure').length;
  const subjects = new Set(chunk.events.map((event) => event.subject.name)).size;
  const summary = `${chunk.events.length} events${failed > 0 ? `, ${failed} failed` : ''} in ${subjects} places`;
  const suffix = parts > 1 ? ` (part ${part} of ${parts})` : '';
  return {
    text: clip(`📋 Digest: ${escapeInline(summary)}${suffix}`, CLIQ_LIMITS.text),
    card: {
      title: clip(`📋 ${escapeInline(summary)}${suffix}`, CLIQ_LIMITS.cardTitle),
      theme: 'modern-inline',
    },
    slides: chunk.slides,
  };
};
