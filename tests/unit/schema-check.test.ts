import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import * as v from 'valibot';
import { VigilEvent } from '../../lib/event/model';
import { QueuedMessage } from '../../lib/queue/queued-message';
import { SOURCE_EVENTS } from '../../lib/sources/events';
import { SOURCE_NAMES } from '../../lib/sources/registry';
import { compileCheck, parserFor } from '../../lib/util/schema-check';
import { githubEvent, octokitExamples } from '../../tools/harness/github';
import { ingestFor } from '../helpers/ingest';

/**
 * The compiled predicates stand in front of valibot on the ingest and sender paths. They must never accept what
 * valibot refuses or would change (else something invalid could be queued); these tests hold them to that
 * over every event the sources build from the repo's samples and GitHub's documented examples, and over
 * random mutations of those events.
 */

type Json = Record<string, unknown>;

/** Every queued message the sources make of events/ and of @octokit/webhooks-examples. */
const queuedMessages = async (): Promise<Json[]> => {
  const bodies: string[] = [];
  for (const source of SOURCE_NAMES) {
    const dir = join(__dirname, '..', '..', 'events', source);
    const { call, queued } = ingestFor(source);
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      await call(JSON.parse(readFileSync(join(dir, file), 'utf8')) as APIGatewayProxyEventV2);
    }
    bodies.push(...queued.map((message) => message.body));
  }
  const github = ingestFor('github');
  for (const [event, index, payload] of octokitExamples()) {
    await github.call(
      githubEvent(Buffer.from(JSON.stringify(payload)), { event, delivery: `${event}-${index}` }),
    );
  }
  bodies.push(...github.queued.map((message) => message.body));
  return bodies.map((body) => JSON.parse(body) as Json);
};

let messages: Json[] = [];
beforeAll(async () => {
  messages = await queuedMessages();
});

const check = compileCheck(QueuedMessage);

/**
 * A deep copy made in this test's realm. Not structuredClone: under jest the test runs in its own realm while
 * structuredClone builds its copies in Node's, so every copy would fail the predicates' plain-object and
 * plain-array checks and they would be tested on nothing.
 */
const copy = <T>(value: T): T => {
  if (Array.isArray(value)) return Array.from(value, copy) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, copy(child)])) as T;
};

describe('the compiled schema predicates', () => {
  it('compile every source event schema, the event union and the queued message', () => {
    for (const entry of Object.values(SOURCE_EVENTS)) expect(compileCheck(entry.schema)).toBeDefined();
    expect(compileCheck(VigilEvent)).toBeDefined();
    expect(check).toBeDefined();
  });

  it('accept every event the sources build, as valibot does', () => {
    const sources = new Set(messages.map((message) => (message.event as Json).source));
    expect([...sources].sort()).toEqual([...SOURCE_NAMES].sort());
    expect(messages.length).toBeGreaterThan(300);
    for (const message of messages) {
      expect(v.safeParse(QueuedMessage, message).success).toBe(true);
      expect(check?.(message)).toBe(true);
    }
  });

  /** The one guarantee that matters: what the predicates accept, valibot accepts unchanged. */
  it('never accept a value valibot refuses or would change', () => {
    const paths = (value: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] => {
      if (typeof value !== 'object' || value === null) return [[...prefix]];
      const inner = Object.entries(value).flatMap(([key, child]) =>
        paths(child, [...prefix, Array.isArray(value) && /^\d+$/.test(key) ? Number(key) : key]),
      );
      return [[...prefix], ...inner];
    };
    const oddValue = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -1, 1.5, 2 ** 53, '', []),
      fc.string({ unit: 'grapheme', maxLength: 20 }).map((text) => text.repeat(400)),
      fc.constantFrom('https://example.com', 'javascript:alert(1)', '2026-11-23T12:00:00Z', 'not-a-date'),
    );
    const mutation = fc.record({
      message: fc.integer({ min: 0, max: 10_000 }),
      path: fc.integer({ min: 0, max: 10_000 }),
      change: fc.oneof(
        fc.record({ kind: fc.constant('set' as const), value: oddValue }),
        fc.record({ kind: fc.constant('delete' as const) }),
        fc.record({ kind: fc.constant('extra' as const), key: fc.string({ maxLength: 8 }), value: oddValue }),
      ),
    });
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (changes) => {
        const first = changes[0];
        if (first === undefined) return;
        const value = copy(messages[first.message % messages.length]) as Json;
        for (const { path: pick, change } of changes) {
          const all = paths(value);
          const path = all[pick % all.length] ?? [];
          const key = path.at(-1);
          let parent: unknown = value;
          for (const step of path.slice(0, -1)) parent = (parent as Json)[step as string];
          if (typeof parent !== 'object' || parent === null) continue;
          const holder = parent as Json;
          // a fresh copy: fast-check hands the same constant instance (the `[]`) to every run, and one run
          // writing into it would make it contain itself in a later run
          const fresh = 'value' in change ? copy(change.value) : undefined;
          if (change.kind === 'extra') {
            const target = key === undefined ? value : holder[key as string];
            if (
              typeof target === 'object' &&
              target !== null &&
              !(Array.isArray(target) && change.key === 'length')
            )
              (target as Json)[change.key] = fresh; // an array's length set to a non-index would throw, not mutate
          } else if (key !== undefined) {
            if (change.kind === 'delete') delete holder[key as string];
            else holder[key as string] = fresh;
          }
        }
        if (check?.(value)) {
          accepted++;
          const parsed = v.safeParse(QueuedMessage, value);
          expect(parsed.success).toBe(true);
          // what is queued is the JSON text: the output must serialize to the same JSON (key order aside)
          expect(JSON.parse(JSON.stringify(parsed.output))).toEqual(JSON.parse(JSON.stringify(value)));
        }
      }),
      { numRuns: 3000 },
    );
    // many mutations keep a message valid (a text for a text): if the predicates accepted none, nothing was tested
    expect(accepted).toBeGreaterThan(300);
  });

  it('leave to valibot an unknown key, which it drops', () => {
    const message = copy(messages[0]) as Json;
    (message.event as Json).extra = 'not in the schema';
    expect(check?.(message)).toBe(false);
    const parsed = parserFor(QueuedMessage)(message);
    expect(parsed.success).toBe(true);
    expect((parsed.output as { event: Json }).event).not.toHaveProperty('extra');
  });

  it('leave to valibot a value whose JSON text is not the fields they check', () => {
    // what is queued is JSON.stringify of the checked value: inherited or hidden fields and a toJSON method
    // would change that text, while valibot's output copies the fields it read into a plain object
    const message = messages[0] as Json;
    const inherited = Object.create(copy(message)) as Json;
    const hidden = copy(message);
    Object.defineProperty(hidden, 'channel', { value: message.channel, enumerable: false });
    class Instance {
      constructor() {
        Object.assign(this, copy(message));
      }
      toJSON() {
        return { v: 1 };
      }
    }
    const listWithToJson = copy(message);
    Object.assign((listWithToJson.event as Json).labels as string[], { toJSON: () => 'not a list' });
    for (const value of [inherited, hidden, new Instance(), listWithToJson]) {
      const parsed = parserFor(QueuedMessage)(value);
      expect(parsed.success).toBe(true);
      expect(JSON.parse(JSON.stringify(parsed.output))).toEqual(JSON.parse(JSON.stringify(message)));
    }
  });

  it('let the first option of a variant with a matching key decide, as valibot does', () => {
    const schema = v.variant('kind', [
      v.object({ kind: v.literal('a'), text: v.pipe(v.string(), v.maxLength(3)) }),
      v.object({ kind: v.literal('a'), text: v.string() }),
    ]);
    const value = { kind: 'a', text: 'longer than three' };
    expect(v.safeParse(schema, value).success).toBe(false);
    expect(compileCheck(schema)?.(value)).toBe(false);
    expect(compileCheck(schema)?.({ kind: 'a', text: 'abc' })).toBe(true);
  });

  it('leave a schema with a global or sticky regex to valibot, whose lastIndex they would share', () => {
    expect(compileCheck(v.object({ n: v.pipe(v.string(), v.regex(/a/g)) }))).toBeUndefined();
    expect(compileCheck(v.object({ n: v.pipe(v.string(), v.regex(/a/y)) }))).toBeUndefined();
    expect(compileCheck(v.object({ n: v.pipe(v.string(), v.regex(/a/i)) }))).toBeDefined();
  });

  it('leave a schema with a transform or a default wholly to valibot', () => {
    const transformed = v.object({ n: v.pipe(v.string(), v.transform(Number)) });
    const defaulted = v.object({ n: v.optional(v.string(), 'x') });
    expect(compileCheck(transformed)).toBeUndefined();
    expect(compileCheck(defaulted)).toBeUndefined();
    expect(parserFor(transformed)({ n: '7' }).output).toEqual({ n: 7 });
    expect(parserFor(defaulted)({}).output).toEqual({ n: 'x' });
  });

  it('give valibot issues for what they refuse', () => {
    const parsed = parserFor(QueuedMessage)({ ...messages[0], channel: 'Not A Channel!' });
    expect(parsed.success).toBe(false);
    expect(parsed.issues?.[0]?.message).toBe('must be a channel name');
  });
});
