import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import type { Source } from '../../lib/event/model';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { SOURCES } from '../../lib/sources/registry';
import { isoFromEpoch, isoFromText } from '../../lib/util/time';
import { ingestFor } from '../helpers/ingest';
import { sourceEvent } from '../helpers/sources';

const EVENTS = join(__dirname, '..', '..', 'events');
const RECEIVED = '2026-11-23T12:00:00.000Z';
const DATE_KEY = /(_at|At|[Tt]ime|[Tt]imestamp|[Dd]ate|Seen|[Cc]reated)$/;

type Path = (string | number)[];

/** Paths to every field whose name says it holds a date. */
const datePaths = (value: unknown, prefix: Path = []): Path[] => {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((inner, i) => [i, inner] as const) : Object.entries(value);
  return entries.flatMap(([key, inner]) => [
    ...(typeof key === 'string' && DATE_KEY.test(key) ? [[...prefix, key]] : []),
    ...datePaths(inner, [...prefix, key]),
  ]);
};

const setAt = (root: unknown, path: Path, next: unknown): void => {
  let holder = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
  holder[path[path.length - 1] as string | number] = next;
};

const samples = (Object.keys(SOURCES) as Source[]).flatMap((source) =>
  readdirSync(join(EVENTS, source)).map((file) => {
    const event = JSON.parse(readFileSync(join(EVENTS, source, file), 'utf8')) as APIGatewayProxyEventV2;
    const headers = Object.entries(event.headers ?? {}).filter(([key]) =>
      ['x-github-event', 'sentry-hook-resource', 'x-gitlab-event'].includes(key),
    );
    const body = event.body ?? '';
    return {
      source,
      file,
      body,
      headers: Object.fromEntries(headers) as Record<string, string>,
      paths: datePaths(JSON.parse(body)),
    };
  }),
);

/** Dates no real sender means: past year 9999, before year 0, not numbers at all. */
const strangeDate = fc.oneof(
  fc.constantFrom(
    3e11,
    1e15,
    8.64e15,
    8.64e15 + 1,
    1e300,
    -1,
    -8.64e15,
    0,
    '3e11',
    'NaN',
    'Infinity',
    '+275760-09-13T00:00:00.000Z',
    '+010000-01-01T00:00:00Z',
    '10000-01-01T00:00:00Z',
    '99999-12-31',
    '-000001-01-01T00:00:00Z',
    '-271821-04-20T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '',
  ),
  fc.double(),
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
  fc.integer({ min: -300_000, max: 300_000 }).map((year) => `${year}-01-01T00:00:00Z`),
);

describe('dates out of range', () => {
  it('read as undefined past year 9999 or before year 0, as ISO 8601 inside', () => {
    expect(isoFromEpoch(3e11)).toBeUndefined();
    expect(isoFromEpoch(-1)).toBeUndefined();
    expect(isoFromEpoch(1_795_435_200)).toBe('2026-11-23T12:00:00.000Z');
    expect(isoFromText('+010000-01-01T00:00:00Z')).toBeUndefined();
    expect(isoFromText('+275760-09-13T00:00:00.000Z')).toBeUndefined();
    expect(isoFromText('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
  });

  it.each(samples.filter((sample) => sample.paths.length > 0).map((s) => [s.source, s.file, s] as const))(
    '%s %s: any date field set to a strange value is never a 5xx, and times stay ISO 8601',
    async (source, _file, sample) => {
      const { call, queued, recorder } = ingestFor(source);
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.nat(sample.paths.length - 1), { minLength: 1, maxLength: 6 }),
          fc.array(strangeDate, { minLength: 6, maxLength: 6 }),
          async (picked, dates) => {
            const payload: unknown = JSON.parse(sample.body);
            for (const [i, index] of picked.entries()) setAt(payload, sample.paths[index] ?? [], dates[i]);
            queued.length = 0;
            const response = await call(
              sourceEvent(source, JSON.stringify(payload), { headers: sample.headers }),
            );
            if (response.status >= 500)
              throw new Error(`answered ${response.status}: ${JSON.stringify(recorder.lines.at(-1))}`);
            for (const message of queued) {
              const parsed = parseQueuedMessage(message.body);
              if (!parsed.ok) throw new Error(`queued an invalid message: ${parsed.error}`);
              expect(parsed.value.event.receivedAt).toBe(RECEIVED);
              expect(parsed.value.event.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
            }
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it('an Alertmanager alert that starts in year 10000 is queued with the time it was received', async () => {
    const body = JSON.stringify({
      receiver: 'vigil',
      status: 'firing',
      alerts: [{ status: 'firing', labels: { alertname: 'Far' }, startsAt: '+010000-01-01T00:00:00Z' }],
      commonLabels: { alertname: 'Far' },
    });
    const { call, queued } = ingestFor('alertmanager');
    expect((await call(sourceEvent('alertmanager', body))).status).toBe(202);
    const parsed = parseQueuedMessage(queued[0]?.body ?? '');
    expect(parsed.ok && parsed.value.event.occurredAt).toBe(RECEIVED);
  });
});
