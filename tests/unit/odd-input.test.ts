import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Source } from '../../lib/event/model';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { SOURCES } from '../../lib/sources/registry';
import { ingestFor } from '../helpers/ingest';
import { sourceEvent } from '../helpers/sources';

const EVENTS = join(__dirname, '..', '..', 'events');
const sampleEvent = (file: string): APIGatewayProxyEventV2 =>
  JSON.parse(readFileSync(join(EVENTS, file), 'utf8')) as APIGatewayProxyEventV2;
const sampleBody = (file: string): Record<string, unknown> =>
  JSON.parse(sampleEvent(file).body ?? '{}') as Record<string, unknown>;

/** Every sample in events/, with the headers that choose how its source reads it. */
const samples = (Object.keys(SOURCES) as Source[]).flatMap((source) =>
  readdirSync(join(EVENTS, source)).map((file) => {
    const event = sampleEvent(join(source, file));
    const headers = Object.entries(event.headers ?? {}).filter(([key]) =>
      ['x-github-event', 'sentry-hook-resource', 'x-gitlab-event'].includes(key),
    );
    return {
      source,
      file,
      body: event.body ?? '',
      headers: Object.fromEntries(headers) as Record<string, string>,
    };
  }),
);

/** The JSON value with every string replaced by `word`. */
const everyString = (value: unknown, word: string): unknown => {
  if (typeof value === 'string') return word;
  if (Array.isArray(value)) return value.map((inner) => everyString(inner, word));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, everyString(inner, word)]));
};

const queuedLabels = (queued: { body: string }[]): string[] =>
  queued.flatMap((message) => {
    const parsed = parseQueuedMessage(message.body);
    return parsed.ok ? parsed.value.event.labels : [];
  });

describe('label and attribute names that are also JavaScript property names', () => {
  const oddLabels = { constructor: 'web', prototype: 'v2', toString: 'x', hasOwnProperty: 'y' };

  it('queues an Alertmanager group whose labels are named constructor and prototype', async () => {
    const payload = sampleBody('alertmanager/firing.json') as {
      alerts: { labels: Record<string, string> }[];
      commonLabels: Record<string, string>;
    };
    for (const alert of payload.alerts) Object.assign(alert.labels, oddLabels);
    Object.assign(payload.commonLabels, oddLabels);
    const { call, queued } = ingestFor('alertmanager');
    const response = await call(sourceEvent('alertmanager', JSON.stringify(payload)));
    expect(response.status).toBe(202);
    expect(queued).toHaveLength(1);
    expect(queuedLabels(queued)).toEqual(expect.arrayContaining(['constructor=web', 'prototype=v2']));
  });

  it('queues Docker Engine events whose attributes are named constructor and prototype', async () => {
    const events = sampleBody('docker/container-events.json') as unknown as {
      Actor: { Attributes: Record<string, string> };
    }[];
    for (const event of events) Object.assign(event.Actor.Attributes, oddLabels);
    const { call, queued } = ingestFor('docker');
    const response = await call(sourceEvent('docker', JSON.stringify(events)));
    expect(response.status).toBe(202);
    expect(queued.length).toBeGreaterThan(0);
  });
});

describe('label values that are also JavaScript property names', () => {
  it.each(['constructor', '__proto__'])(
    'reads a severity label "%s" as an unknown severity (a warning), not a failure',
    async (severity) => {
      const body = JSON.stringify({
        receiver: 'vigil',
        status: 'firing',
        alerts: [],
        commonLabels: { alertname: 'Odd', severity },
      });
      const { call, queued } = ingestFor('alertmanager');
      const response = await call(sourceEvent('alertmanager', body));
      expect(response.status).toBe(202);
      const parsed = parseQueuedMessage(queued[0]?.body ?? '');
      expect(parsed.ok && parsed.value.event.severity).toBe('warning');
    },
  );
});

describe('field values that are also JavaScript property names', () => {
  const words = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
  it.each(
    samples.flatMap((sample) => words.map((word) => [sample.source, sample.file, word, sample] as const)),
  )('%s %s with every string "%s" is never answered with a 5xx', async (source, _file, word, sample) => {
    const { call, recorder } = ingestFor(source);
    const body = JSON.stringify(everyString(JSON.parse(sample.body), word));
    const response = await call(sourceEvent(source, body, { headers: sample.headers }));
    if (response.status >= 500) throw new Error(JSON.stringify(recorder.lines.at(-1)));
    expect(response.status).toBeLessThan(500);
  });
});

describe('a legacy Grafana alert in a state named like a JavaScript property', () => {
  it.each(['constructor', '__proto__'])('reads state "%s" as an unknown state (a warning)', async (state) => {
    const body = JSON.stringify({ title: 'Disk full', ruleName: 'Disk', state, evalMatches: [] });
    const { call, queued } = ingestFor('grafana');
    const response = await call(sourceEvent('grafana', body));
    expect(response.status).toBe(202);
    const parsed = parseQueuedMessage(queued[0]?.body ?? '');
    expect(parsed.ok && parsed.value.event.severity).toBe('warning');
  });
});

describe('a __proto__ key, however it is spelled', () => {
  const literal =
    '{"receiver":"vigil","status":"firing","alerts":[],"commonLabels":{"__proto__":{"polluted":"yes"}}}';
  const escaped = literal.replace('"__proto__"', '"\\u005f_proto__"');
  const allEscaped = literal.replace(
    '"__proto__"',
    `"${[...'__proto__'].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`).join('')}"`,
  );

  it.each([
    ['literal', literal],
    ['escaped', escaped],
    ['escaped in every character, hex in upper case', allEscaped],
  ])('is refused with the same 400 when %s, and pollutes nothing', async (_name, body) => {
    const { call, queued } = ingestFor('alertmanager');
    const response = await call(sourceEvent('alertmanager', body));
    expect(response).toEqual({
      status: 400,
      body: {
        error: 'malformed_body',
        message: 'body has a "__proto__" key, which an Alertmanager notification never contains',
      },
    });
    expect(queued).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('a text body with a lone surrogate', () => {
  it('is read as the UTF-8 bytes it is signed and sent as (U+FFFD), the same whether it arrived as text or base64', async () => {
    const body =
      '{"receiver":"vigil","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"Disk\uD800"},"annotations":{},"startsAt":"2026-11-23T11:00:00Z"}],"commonLabels":{},"groupLabels":{},"commonAnnotations":{}}';
    const asText = ingestFor('alertmanager');
    const asBase64 = ingestFor('alertmanager');
    // the signature covers the UTF-8 bytes; the text goes to the handler as is
    const textEvent = { ...sourceEvent('alertmanager', body), body };
    expect((await asText.call(textEvent)).status).toBe(202);
    const base64Event = {
      ...textEvent,
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
    };
    expect((await asBase64.call(base64Event)).status).toBe(202);
    const text = asText.queued[0]?.body ?? '';
    expect(text).toContain('Disk\uFFFD');
    expect(text).toBe(asBase64.queued[0]?.body);
  });
});

describe('an alert whose severity, instance and value run past their limits', () => {
  /** Characters outside the BMP, so an even cut would land inside a surrogate pair. */
  const long = (prefix: string, length: number): string => `${prefix}${'🔥'.repeat(length)}`;
  const queuedAlerts = (queued: { body: string }[]): Record<string, string>[] => {
    const parsed = parseQueuedMessage(queued[0]?.body ?? '');
    if (!parsed.ok) throw new Error('not queued');
    return (parsed.value.event.facts as unknown as { alerts: Record<string, string>[] }).alerts;
  };
  const expectClipped = (text: string | undefined, limit: number): void => {
    expect(text?.length).toBeLessThanOrEqual(limit);
    expect(text?.endsWith('…')).toBe(true);
    // a split surrogate pair would not survive the trip through UTF-8
    expect(Buffer.from(text ?? '', 'utf8').toString('utf8')).toBe(text);
  };

  it('cuts an Alertmanager alert’s severity and instance with an ellipsis, never splitting a character', async () => {
    const payload = sampleBody('alertmanager/firing.json') as {
      alerts: { labels: Record<string, string> }[];
    };
    for (const alert of payload.alerts)
      Object.assign(alert.labels, { severity: long('c', 40), instance: long('h', 300) });
    const { call, queued } = ingestFor('alertmanager');
    expect((await call(sourceEvent('alertmanager', JSON.stringify(payload)))).status).toBe(202);
    for (const alert of queuedAlerts(queued)) {
      expectClipped(alert.severity, 40);
      expectClipped(alert.instance, 255);
    }
  });

  it('cuts a Grafana alert’s value the same way', async () => {
    const payload = sampleBody('grafana/firing.json') as { alerts: { values: Record<string, unknown> }[] };
    for (const alert of payload.alerts) alert.values = { B: long('v', 300) };
    const { call, queued } = ingestFor('grafana');
    expect((await call(sourceEvent('grafana', JSON.stringify(payload)))).status).toBe(202);
    for (const alert of queuedAlerts(queued)) expectClipped(alert.value, 200);
  });

  it('queues a Grafana alert whose values hold lists or objects, showing the numbers and leaving those out', async () => {
    const payload = sampleBody('grafana/firing.json') as { alerts: { values: Record<string, unknown> }[] };
    for (const alert of payload.alerts)
      alert.values = { B: 0.08312345, C: 1, list: 'DEEP', object: { toString: 'not a function' } };
    // a list nested deeper than any recursion could follow; the rest of the body parses as usual
    const depth = 20_000;
    const body = JSON.stringify(payload).replaceAll('"DEEP"', `${'['.repeat(depth)}1${']'.repeat(depth)}`);
    const { call, queued } = ingestFor('grafana');
    expect((await call(sourceEvent('grafana', body))).status).toBe(202);
    for (const alert of queuedAlerts(queued)) expect(alert.value).toBe('B=0.0831235, C=1');
  });
});
