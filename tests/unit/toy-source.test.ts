import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import type { CliqMessage } from '../../lib/cliq/message';
import { subjectOf } from '../../lib/conversation/subject';
import { type Subject, subjectKey } from '../../lib/conversation/subject-key';
import { envelope } from '../../lib/event/envelope';
import { bounded, count, envelopeEntries, LIMITS } from '../../lib/event/fields';
import type { Source, VigilEvent } from '../../lib/event/model';
import { eventCard, labelSlide } from '../../lib/format/card';
import { routeEvent } from '../../lib/routing/route';
import type { RoutingConfig } from '../../lib/routing/schema';
import { ledgerKeys } from '../../lib/sender/ledger';
import { eventSources, SENDER_SOURCES, SOURCE_EVENTS } from '../../lib/sources/events';
import type { SourceEvents } from '../../lib/sources/source';
import { pullRequest } from '../helpers/conversation-events';

// CONTRIBUTING.md's "Adding a source", followed for a source that exists only here: a ticket tracker whose
// tickets are threads and whose delivery ids restart every day

// lib/sources/toy/facts.ts: the shared envelope, its source name and its typed facts
const ToyFacts = v.variant('type', [
  v.object({ type: v.literal('ticket'), number: count, state: bounded(LIMITS.state) }),
  v.object({ type: v.literal('ping') }),
]);
const ToyEvent = v.object({ ...envelopeEntries, source: v.literal('toy'), facts: ToyFacts });
type ToyEvent = v.InferOutput<typeof ToyEvent>;

// lib/sources/toy/normalize.ts: payload -> event, through the one envelope builder
const normalizeToy = (
  payload: { readonly board: string; readonly ticket?: number; readonly state?: string },
  id: string,
  receivedAt: string,
): ToyEvent =>
  envelope('toy', {
    id,
    kind: payload.ticket === undefined ? 'ping' : `ticket.${payload.state ?? 'open'}`,
    receivedAt,
    severity: 'info',
    outcome: payload.state === 'done' ? 'success' : 'none',
    subject: { name: payload.board },
    title: payload.ticket === undefined ? 'Ping' : `Ticket ${payload.ticket} is ${payload.state ?? 'open'}`,
    facts:
      payload.ticket === undefined
        ? { type: 'ping' }
        : { type: 'ticket', number: payload.ticket, state: payload.state ?? 'open' },
  });

// lib/sources/toy/format.ts
const formatToy = (event: ToyEvent): CliqMessage =>
  eventCard(event, {
    icon: '🧸',
    slides: [labelSlide('Ticket', event.facts.type === 'ticket' ? [['State', event.facts.state]] : [])],
    buttons: [],
  });

// lib/sources/toy/subject.ts
const toySubject = (event: ToyEvent): Subject | undefined =>
  event.facts.type === 'ticket'
    ? {
        key: subjectKey('toy', event.subject.name, 'ticket', event.facts.number),
        family: 'thread',
        label: `ticket ${event.facts.number}`,
      }
    : undefined;

// lib/sources/toy/events.ts
const toyEvents: SourceEvents<ToyEvent> = {
  schema: ToyEvent,
  format: formatToy,
  subject: toySubject,
  deliveryKey: (event) => `${event.id}@${event.receivedAt.slice(0, 10)}`,
};

// lib/sources/events.ts's one line, in a list of the test's own
const sources = eventSources<VigilEvent | ToyEvent>({ ...SOURCE_EVENTS, toy: toyEvents });

const ticket = v.parse(
  ToyEvent,
  normalizeToy({ board: 'acme', ticket: 7, state: 'doing' }, 't-1', '2026-11-23T12:00:00.000Z'),
);
const ping = v.parse(ToyEvent, normalizeToy({ board: 'acme' }, 't-2', '2026-11-23T12:00:00.000Z'));

describe('a source added by following CONTRIBUTING.md', () => {
  it('validates what its normalizer makes against its own schema', () => {
    expect(ticket).toMatchObject({ source: 'toy', kind: 'toy.ticket.doing', facts: { number: 7 } });
    expect(v.is(ToyEvent, { ...ticket, facts: { type: 'ticket', number: -1, state: 'x' } })).toBe(false);
  });

  it('is looked up by name beside every real source, which keep their own rules', () => {
    expect(sources.names).toEqual([...Object.keys(SOURCE_EVENTS), 'toy']);
    const pr = pullRequest('e1', 12, 'opened');
    expect(sources.subject(pr)).toEqual(subjectOf(pr));
    expect(sources.format(pr)).toEqual(SENDER_SOURCES.format(pr));
  });

  it('gives its events its own conversation subject, or none', () => {
    expect(sources.subject(ticket)).toEqual({
      key: 'toy:acme:ticket:7',
      family: 'thread',
      label: 'ticket 7',
    });
    expect(sources.subject(ping)).toBeUndefined();
  });

  it('gives the ledger its own delivery key, after a signed identity, and the subject key to record', () => {
    const ledger = ledgerKeys(sources);
    expect(ledger.deliveryKey(ticket)).toBe('t-1@2026-11-23');
    expect(ledger.deliveryKey({ ...ticket, identity: 'toy:sha256:abc' })).toBe('toy:sha256:abc');
    expect(ledger.subject(ticket)).toBe('toy:acme:ticket:7');
    expect(ledger.subject(ping)).toBe('toy:acme');
  });

  it('formats its events with its own card', () => {
    const message = sources.format(ticket);
    expect(message.text).toContain('acme: Ticket 7 is doing');
    expect(JSON.stringify(message)).toContain('doing');
  });

  it('is routed by its name like any source', () => {
    // a routing file may name it once lib/sources/registry.ts lists it (routing's source names come from there)
    const config = {
      default: 'drop',
      channels: {},
      routes: [{ name: 'toys', match: { source: ['toy' as Source] }, to: 'toys' }],
    } as RoutingConfig;
    const routed = routeEvent(config, ticket as unknown as VigilEvent);
    expect(routed).toMatchObject({ destinations: [{ channel: 'toys', mention: [] }], decidedBy: 'toys' });
    expect(routeEvent(config, pullRequest('e1', 12, 'opened')).dropped).toBe(true);
  });

  it('is unknown to the deployed sender until its line is added, rather than handled by a fallback', () => {
    expect(() => SENDER_SOURCES.subject(ticket)).toThrow('No source named "toy"');
  });
});

// the recipe holds only if no shared code decides by a source's name: each source's rules live in its folder
describe('code outside lib/sources', () => {
  const LIB = join(__dirname, '..', '..', 'lib');
  const files = (dir: string): string[] =>
    readdirSync(join(LIB, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? dir === '' && entry.name === 'sources'
          ? []
          : files(join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(dir, entry.name)]
          : [],
    );

  it('names no source in its code (only lib/event/model.ts lists their schemas, by import)', () => {
    const names = Object.keys(SOURCE_EVENTS).join('|');
    const literal = new RegExp(`['"\`](${names})['"\`]`);
    const naming = files('')
      .filter((file) =>
        literal.test(readFileSync(join(LIB, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')),
      )
      .sort();
    expect(naming).toEqual([]);
  });
});
