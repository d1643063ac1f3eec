import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { fitMessage } from '../../lib/cliq/fit';
import type { Source } from '../../lib/event/model';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { formatEvent } from '../../lib/sources/events';
import { SOURCE_NAMES, sourceList } from '../../lib/sources/registry';
import { cliqViolations } from '../../tools/harness/cliq-stand-in';
import { ingestFor } from '../helpers/ingest';
import { sourceEvent } from '../helpers/sources';

const SOURCES = SOURCE_NAMES;
/** The headers that name the event: a hostile request keeps them, so it is refused for its body or credential. */
const EVENT_HEADERS = sourceList().flatMap((source) => source.eventHeader ?? []);
const EVENTS = join(__dirname, '..', '..', 'events');
const CAP = 64 * 1024;

/** A real sample body of the source (from events/), to derive hostile variants from. */
const sampleOf = (source: Source): { body: string; headers: Record<string, string> } => {
  const file = readdirSync(join(EVENTS, source)).find((name) => name !== 'ping.json') ?? '';
  const event = JSON.parse(readFileSync(join(EVENTS, source, file), 'utf8')) as APIGatewayProxyEventV2;
  const keep = Object.entries(event.headers ?? {}).filter(([key]) => EVENT_HEADERS.includes(key));
  return { body: event.body ?? '', headers: Object.fromEntries(keep) as Record<string, string> };
};

const deep = (depth: number, open: string, close: string) => `${open.repeat(depth)}${close.repeat(depth)}`;

/** Requests no source may accept: every one must get a 4xx, and nothing may be queued. */
const hostile = (source: Source): [string, APIGatewayProxyEventV2][] => {
  const { body, headers } = sampleOf(source);
  const signed = (text: string | Buffer, extra: Parameters<typeof sourceEvent>[2] = {}) =>
    sourceEvent(source, text, { ...extra, headers: { ...headers, ...extra.headers } });
  const signedByHmac = source === 'github' || source === 'sentry';
  const huge = JSON.stringify({
    ...JSON.parse(body.startsWith('[') ? '{}' : body),
    title: 'x'.repeat(CAP),
    message: '{@all}'.repeat(CAP / 6),
  });
  return [
    ['no authentication at all', signed(body, { unauthenticated: true })],
    ['the wrong secret', signed(body, { secret: 'not-the-secret' })],
    ['a secret differing only in case', signed(body, { secret: 'VIGIL-DEVELOPMENT-SECRET' })],
    [
      'a secret with one extra character',
      signed(body, { secret: signedByHmac ? 'vigil-development-secretx' : 'vigil-development-tokenx' }),
    ],
    ['a 10 KB garbage credential', signed(body, { secret: 'z'.repeat(10_000) })],
    ['a non-ASCII credential', signed(body, { secret: 'sécret-☃' })],
    ...(signedByHmac
      ? ([
          ['a signature of another body', { ...signed('{"other":true}'), body }],
          ['a signature of the empty body', { ...signed(''), body }],
        ] as [string, APIGatewayProxyEventV2][])
      : ([
          [
            'the token under another header',
            signed(body, { unauthenticated: true, headers: { 'x-token': 'vigil-development-token' } }),
          ],
          [
            'the token as a basic-auth user name',
            signed(body, {
              unauthenticated: true,
              headers: {
                authorization: `Basic ${Buffer.from('vigil-development-token:').toString('base64')}`,
              },
            }),
          ],
        ] as [string, APIGatewayProxyEventV2][])),
    ['truncated JSON', signed(body.slice(0, Math.floor(body.length / 2)))],
    ['an unterminated object', signed('{"a":')],
    ['a JSON array of numbers', signed('[1,2,3]')],
    ['an empty JSON array', signed('[]')],
    ['JSON null', signed('null')],
    ['a JSON number', signed('42')],
    ['a JSON string', signed('"hello"')],
    ['JSON true', signed('true')],
    ['an empty body', signed('')],
    [
      'invalid UTF-8',
      signed(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0xfe, 0x7d]), { base64: true }),
    ],
    [
      'base64 junk',
      { ...signed(Buffer.from('%%%not base64!!')), body: '%%%not base64!!', isBase64Encoded: true },
    ],
    ['200,000 nested arrays', signed(deep(200_000, '[', ']'))],
    ['100,000 nested objects', signed(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`)],
    ['a __proto__ key', signed('{"__proto__":{"polluted":true},"action":"created"}')],
    ['a nested __proto__ key', signed('{"data":[{"__proto__":{"isAdmin":true}}]}')],
    ['a __proto__ key spelled with an escape', signed('{"\\u005f_proto__":{"polluted":true}}')],
    [
      'a __proto__ key spelled wholly in escapes',
      signed('{"a":{"\\u005f\\u005f\\u0070roto\\u005f\\u005f":{"isAdmin":true}}}'),
    ],
    ['a number with a leading zero', signed('{"a":01}')],
    ['trailing garbage', signed(`${body}xyz`)],
    ['a NaN literal', signed('{"a":NaN}')],
    ['single-quoted JSON', signed("{'a':1}")],
    ['text/plain', signed(body, { headers: { 'content-type': 'text/plain' } })],
    ['application/xml', signed('<alert/>', { headers: { 'content-type': 'application/xml' } })],
    ['no content type', signed(body, { headers: { 'content-type': '' } })],
    ['multipart/form-data', signed(body, { headers: { 'content-type': 'multipart/form-data; boundary=x' } })],
    ['GET', signed(body, { method: 'GET' })],
    ['DELETE', signed(body, { method: 'DELETE' })],
    ['a body over the size cap', signed('x'.repeat(CAP + 1))],
    ['enormous strings in fields that reach the card, over the cap', signed(huge)],
  ];
};

describe.each(SOURCES)('hostile input to %s', (source) => {
  const cases = hostile(source);
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)('%s → 4xx, with a message, nothing queued', async (_name, event) => {
    const { call, queued } = ingestFor(source, { maxBodyBytes: CAP });
    const response = await call(event);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    expect(queued).toEqual([]);
  });
});

describe('properties', () => {
  it.each(SOURCES)('%s rejects any body whose signature or token is wrong', async (source) => {
    const { call, queued } = ingestFor(source);
    const { headers } = sampleOf(source);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.uint8Array({ maxLength: 400 }),
        async (secret, bytes) => {
          fc.pre(secret !== 'vigil-development-secret' && secret !== 'vigil-development-token');
          const response = await call(sourceEvent(source, Buffer.from(bytes), { secret, headers }));
          return response.status === 401 || response.status === 400;
        },
      ),
      { numRuns: 60 },
    );
    expect(queued).toEqual([]);
  });

  /** Replaces values at random places in a real payload with arbitrary JSON, huge strings or markup. */
  const mutations = fc.array(
    fc.tuple(
      fc.nat(),
      fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.string({ minLength: 2000, maxLength: 20_000 }),
        fc.constant('{@all} *x* [a](javascript:1)'),
      ),
    ),
    { maxLength: 12 },
  );

  const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
    if (typeof value !== 'object' || value === null) return [prefix];
    const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    return [
      prefix,
      ...keys.flatMap((key) => paths((value as Record<string | number, unknown>)[key], [...prefix, key])),
    ];
  };

  const setAt = (root: unknown, path: (string | number)[], next: unknown): unknown => {
    if (path.length === 0) return next;
    let holder = root;
    for (const key of path.slice(0, -1)) {
      if (typeof holder !== 'object' || holder === null) return root;
      holder = (holder as Record<string | number, unknown>)[key];
    }
    if (typeof holder === 'object' && holder !== null)
      (holder as Record<string | number, unknown>)[path[path.length - 1] as string | number] = next;
    return root;
  };

  it.each(SOURCES)(
    '%s: any payload shaped like the source normalizes and formats within Cliq limits, never throwing',
    async (source) => {
      const { body, headers } = sampleOf(source);
      const { call, queued, recorder } = ingestFor(source);
      await fc.assert(
        fc.asyncProperty(mutations, async (changes) => {
          let payload: unknown = JSON.parse(body);
          for (const [index, value] of changes) {
            const all = paths(payload);
            payload = setAt(payload, all[index % all.length] ?? [], value);
          }
          if (
            typeof payload !== 'object' ||
            payload === null ||
            JSON.stringify(payload).includes('"__proto__"')
          )
            return true;
          queued.length = 0;
          const response = await call(sourceEvent(source, JSON.stringify(payload), { headers }));
          if (response.status >= 500)
            throw new Error(`answered ${response.status}: ${JSON.stringify(recorder.lines.at(-1))}`);
          for (const message of queued) {
            const parsed = parseQueuedMessage(message.body);
            if (!parsed.ok) throw new Error(`queued an invalid message: ${parsed.error}`);
            const violations = cliqViolations(fitMessage(formatEvent(parsed.value.event)));
            if (violations.length > 0)
              throw new Error(`message breaks Cliq limits: ${violations.join('; ')}`);
          }
          return true;
        }),
        { numRuns: 80, endOnFailure: true },
      );
    },
  );
});
