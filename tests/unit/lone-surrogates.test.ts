import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { fitMessage } from '../../lib/cliq/fit';
import type { Source } from '../../lib/event/model';
import { fromApiGateway } from '../../lib/http/request';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { SOURCES } from '../../lib/sources/registry';
import { parsePayload } from '../../lib/sources/shared/payload';
import { parseJson } from '../../lib/util/parse-json';
import { cliqViolations } from '../../tools/harness/cliq-stand-in';
import { ingestFor } from '../helpers/ingest';
import { recordingLog } from '../helpers/log';
import { sqsRecord } from '../helpers/sqs-record';

const EVENTS = join(__dirname, '..', '..', 'events');
const sample = (file: string): APIGatewayProxyEventV2 =>
  JSON.parse(readFileSync(join(EVENTS, file), 'utf8')) as APIGatewayProxyEventV2;

const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Every string and key in a value, for asserting that none holds a lone surrogate. */
const textsOf = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...textsOf(inner)]);
};

/** The sample with a new body, re-signed where its source signs the body (GitHub, Sentry). */
const withBody = (source: Source, event: APIGatewayProxyEventV2, body: string): APIGatewayProxyEventV2 => {
  const signed = SOURCES[source].samples.credentials(Buffer.from(body)).headers;
  const headers = { ...event.headers };
  for (const [key, value] of Object.entries(signed)) if (key in headers) headers[key] = value;
  return { ...event, headers, body };
};

/** A sender that previews every event and records what it would dead-letter. */
const sender = () => {
  const previews: unknown[] = [];
  const deadLetters: unknown[] = [];
  const handler = createSenderHandler({
    secrets: async () => ({}),
    previewWhenUnset: true,
    format: formatEvent,
    deliver: async () => ({ ok: true, status: 204 }),
    preview: (message) => previews.push(message),
    deadLetter: async (letter) => {
      deadLetters.push(letter);
    },
    log: recordingLog().log,
  });
  const send = (bodies: string[]) =>
    handler({ Records: bodies.map((body, index) => sqsRecord(body, `m-${index}`)) } as SQSEvent);
  return { send, previews, deadLetters };
};

describe('parseJson with lone surrogates (legal JSON, not Unicode)', () => {
  it('replaces a lone high or low surrogate with U+FFFD in strings and keys', () => {
    const parsed = parseJson(Buffer.from('{"a":"x\\ud800","\\udc00k":["\\udbff",{"b":"\\uDFFFy"}]}'));
    expect(parsed).toEqual({ ok: true, value: { a: 'x\uFFFD', '\uFFFDk': ['\uFFFD', { b: '\uFFFDy' }] } });
  });

  it('keeps a surrogate pair, escaped or not, as it is', () => {
    expect(parseJson('{"a":"\\ud83d\\ude00 😀"}')).toEqual({ ok: true, value: { a: '😀 😀' } });
  });

  it('leaves escapes that are not surrogates, and an escaped backslash before u, as JSON reads them', () => {
    expect(parseJson(Buffer.from('["\\ud7ff","\\ue000","\\\\ud800","\\\\\\uD800"]'))).toEqual({
      ok: true,
      value: ['\ud7ff', '\ue000', '\\ud800', '\\\uFFFD'],
    });
  });

  it('repairs a lone surrogate in text given as a string, not only an escaped one', () => {
    expect(parseJson('["\ud800"]')).toEqual({ ok: true, value: ['\uFFFD'] });
  });

  it('keeps the order of keys in an object it rebuilds', () => {
    const parsed = parseJson('{"z":1,"\\ud800":2,"a":3}');
    expect(parsed.ok && Object.keys(parsed.value as object)).toEqual(['z', '\uFFFD', 'a']);
  });

  it('still lets parsePayload refuse a __proto__ key beside a repaired key', () => {
    const parsed = parsePayload('{"\\ud800":1,"__proto__":{"polluted":true}}', 'a test payload');
    expect(parsed.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('repairs a deeply nested string without recursion', () => {
    const depth = 5000;
    const parsed = parseJson(`${'['.repeat(depth)}"\\ud800"${']'.repeat(depth)}`);
    let inner: unknown = parsed.ok ? parsed.value : undefined;
    for (let level = 0; level < depth; level += 1) inner = (inner as unknown[])[0];
    expect(inner).toBe('\uFFFD');
  });
});

describe('fromApiGateway with lone surrogates', () => {
  it('gives header and query values as well-formed text', () => {
    const request = fromApiGateway({
      ...sample('github/push.json'),
      headers: { 'X-GitHub-Delivery': 'id-\ud800' },
      queryStringParameters: { token: '\udc00' },
    });
    expect(request.headers['x-github-delivery']).toBe('id-\uFFFD');
    expect(request.query.token).toBe('\uFFFD');
  });
});

describe('issue 17: legal input that crashed', () => {
  it('answers 2xx to an Alertmanager notification whose label is a lone surrogate (was a 500, URIError)', async () => {
    const event = sample('alertmanager/firing.json');
    const payload = JSON.parse(event.body ?? '') as { groupLabels: Record<string, string> };
    payload.groupLabels.service = '\ud800';
    const { call, queued } = ingestFor('alertmanager');
    const response = await call(withBody('alertmanager', event, JSON.stringify(payload)));
    expect(response.status).toBe(202);
    expect(queued).toHaveLength(1);
    expect(queued[0]?.body).toContain(encodeURIComponent('service="\uFFFD"'));
  });

  it('formats a GitHub push to a branch named by a lone surrogate (was a format_failed dead letter)', async () => {
    const event = sample('github/push.json');
    const payload = JSON.parse(event.body ?? '') as { ref: string };
    payload.ref = 'refs/heads/\ud800';
    const { call, queued } = ingestFor('github');
    expect((await call(withBody('github', event, JSON.stringify(payload)))).status).toBe(202);
    const { send, previews, deadLetters } = sender();
    const response = await send(queued.map((message) => message.body));
    expect([response.batchItemFailures, deadLetters]).toEqual([[], []]);
    expect(previews).toHaveLength(1);
    expect(JSON.stringify(previews)).toContain(encodeURIComponent('\uFFFD'));
  });

  it('formats a queued body that still carries a lone surrogate escape (queued before this release)', async () => {
    const event = sample('github/push.json');
    const { call, queued } = ingestFor('github');
    await call(event);
    const body = (queued[0]?.body ?? '').replace('"ref":"master"', '"ref":"master\\ud800"');
    expect(body).toContain('\\ud800');
    const { send, previews, deadLetters } = sender();
    const response = await send([body]);
    expect([response.batchItemFailures, deadLetters]).toEqual([[], []]);
    expect(textsOf(previews).every(isWellFormed)).toBe(true);
  });
});

/** Maps whose keys are data (labels, annotations, attributes), where a key may carry a lone surrogate too. */
const FREE_KEYS = new Set([
  'labels',
  'annotations',
  'commonLabels',
  'commonAnnotations',
  'groupLabels',
  'Attributes',
]);

type Place = { readonly at: number; readonly surrogate: string };

/** Lone surrogates: high and low, at either end or inside. */
const surrogate = fc
  .oneof(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff }))
  .map((code) => String.fromCharCode(code));
const place = fc.record({ at: fc.oneof(fc.constant(0), fc.constant(-1), fc.nat()), surrogate });

const insert = (text: string, { at, surrogate: lone }: Place): string => {
  const index = at === -1 ? text.length : at % (text.length + 1);
  return `${text.slice(0, index)}${lone}${text.slice(index)}`;
};

/** The value with a lone surrogate put into every string, and into every key of a map whose keys are data. */
const everywhere = (value: unknown, next: () => Place, freeKeys = false): unknown => {
  if (typeof value === 'string') return insert(value, next());
  if (Array.isArray(value)) return value.map((inner) => everywhere(inner, next));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      freeKeys ? insert(key, next()) : key,
      everywhere(inner, next, FREE_KEYS.has(key)),
    ]),
  );
};

const sourceSamples = readdirSync(EVENTS)
  .filter((dir) => dir !== 'sender')
  .flatMap((dir) => readdirSync(join(EVENTS, dir)).map((file) => [dir as Source, file] as const));

describe('every events/ sample with lone surrogates in every string', () => {
  it.each(sourceSamples)(
    '%s/%s is accepted and formats into a well-formed Cliq message',
    async (source, file) => {
      const event = sample(join(source, file));
      const payload = JSON.parse(event.body ?? '') as unknown;
      await fc.assert(
        fc.asyncProperty(fc.array(place, { minLength: 1, maxLength: 8 }), async (places) => {
          let turn = 0;
          const next = () => places[turn++ % places.length] as Place;
          const body = JSON.stringify(everywhere(payload, next));
          const { call, queued } = ingestFor(source);
          const response = await call(withBody(source, event, body));
          expect(response.status).toBeGreaterThanOrEqual(200);
          expect(response.status).toBeLessThan(300);
          for (const message of queued) {
            const parsed = parseQueuedMessage(message.body);
            if (!parsed.ok) throw new Error(`queued body does not validate: ${parsed.error}`);
            const cliq = fitMessage(formatEvent(parsed.value.event));
            expect(cliqViolations(cliq)).toEqual([]);
            expect(textsOf(cliq).filter((text) => !isWellFormed(text))).toEqual([]);
          }
        }),
        { numRuns: 20 },
      );
    },
  );
});
